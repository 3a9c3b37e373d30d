"""django-ninja wraps each declared response type in a pydantic model per status code and
operation; the platform builds one wrapper per type and shares it (jiandu.api
``_share_response_models``): building the API costs half as much, and nothing a client
sees changes."""

import json

from ninja import NinjaAPI, Router, Schema
from ninja.operation import Operation

from jiandu.api import api
from jiandu.core.schemas import ErrorOut


class ItemOut(Schema):
    id: int
    name: str


def _small_api(namespace: str) -> NinjaAPI:
    small = NinjaAPI(urls_namespace=namespace)
    router = Router()

    @router.get("/items/{item_id}", response={200: ItemOut, 403: ErrorOut, 404: ErrorOut})
    def item(request, item_id: int):
        return ItemOut(id=item_id, name="一")

    @router.get("/items", response={200: list[ItemOut], 403: ErrorOut})
    def items(request):
        return []

    @router.post("/items", response={201: ItemOut, 403: ErrorOut, 422: ErrorOut})
    def item_add(request):
        return 201, ItemOut(id=1, name="一")

    small.add_router("/", router)
    return small


def _operations(of: NinjaAPI) -> list[Operation]:
    return [
        operation
        for router in of._routers
        for path_view in router[1].path_operations.values()
        for operation in path_view.operations
    ]


def test_operations_declaring_the_same_type_share_one_response_model():
    operations = _operations(_small_api("shared-a"))
    errors = {op.response_models[403] for op in operations}
    assert len(errors) == 1
    assert next(iter(errors)).model_fields["response"].annotation is ErrorOut
    by_method = {(op.path, tuple(op.methods)): op.response_models for op in operations}
    one = by_method[("/items/{item_id}", ("GET",))][200]
    assert by_method[("/items", ("POST",))][201] is one
    assert by_method[("/items", ("GET",))][200] is not one


def test_the_platform_api_builds_one_model_per_declared_type():
    declared: set = set()
    models: set = set()
    for operation in _operations(api):
        for model in operation.response_models.values():
            if model is None or not hasattr(model, "model_fields"):
                continue
            models.add(model)
            declared.add(model.model_fields["response"].annotation)
    assert len(models) == len(declared)


def test_sharing_changes_nothing_in_the_openapi_schema(monkeypatch):
    shared = json.dumps(
        _small_api("shared-b").get_openapi_schema(path_prefix="/x/"), sort_keys=True
    )
    original = Operation._create_response_model.original  # type: ignore[attr-defined]
    monkeypatch.setattr(Operation, "_create_response_model", original)
    unshared_api = _small_api("shared-c")
    assert len({op.response_models[403] for op in _operations(unshared_api)}) == 3
    unshared = json.dumps(unshared_api.get_openapi_schema(path_prefix="/x/"), sort_keys=True)
    assert shared == unshared
