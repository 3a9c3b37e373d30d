"""R06 身份异常: payments to an invalid ID number or one absent from the register."""

from .engine_support import A, B, E, pay, person, run_rule

BROKEN = A[:-1] + "8"  # wrong check digit
GHOST = B  # valid but not registered
REGISTERED_BROKEN = E[:-1] + "0"  # E's check character is X: in the register, still invalid


def test_invalid_and_unknown_numbers(engine, tmp_path):
    hits = run_rule(
        engine,
        tmp_path,
        "R06",
        persons=[
            person(A, household="H1"),
            person(E, household="H2"),
            person(REGISTERED_BROKEN, household="H3"),
        ],
        payments=[
            pay("P1", BROKEN, "2023-04"),
            pay("P2", GHOST, "2023-04"),
            pay("P3", A, "2023-04"),
            pay("P4", E, "2023-04"),  # valid number ending in X
            pay("P5", REGISTERED_BROKEN, "2023-04"),
        ],
    )
    reasons = {h["subject"]: h["evidence"]["reason"] for h in hits}
    assert reasons == {
        BROKEN: "身份证号码校验不通过",
        GHOST: "户籍人口中无此身份证号码",
        REGISTERED_BROKEN: "身份证号码校验不通过",
    }
