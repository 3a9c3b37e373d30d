SELECT
  'R01' AS "rule",
  "t5"."id_no" AS "subject",
  "t5"."program",
  "t5"."period",
  CAST("t5"."amount" AS DECIMAL(18, 2)) AS "amount",
  '{' || '"payment_id":' || CASE
    WHEN "t5"."payment_id" IS NULL
    THEN 'null'
    ELSE '"' || REPLACE(REPLACE("t5"."payment_id", '\', '\\'), '"', '\"') || '"'
  END || ',' || '"paid_on":' || CASE
    WHEN "t5"."paid_on" IS NULL
    THEN 'null'
    ELSE '"' || CAST("t5"."paid_on" AS TEXT) || '"'
  END || ',' || '"amount":' || CASE WHEN "t5"."amount" IS NULL THEN 'null' ELSE CAST("t5"."amount" AS TEXT) END || ',' || '"account_no":' || CASE
    WHEN "t5"."account_no" IS NULL
    THEN 'null'
    ELSE '"' || REPLACE(REPLACE("t5"."account_no", '\', '\\'), '"', '\"') || '"'
  END || ',' || '"death_date":' || CASE
    WHEN "t5"."death_date" IS NULL
    THEN 'null'
    ELSE '"' || CAST("t5"."death_date" AS TEXT) || '"'
  END || ',' || '"death_sources":' || "t5"."death_sources" || '}' AS "evidence"
FROM (
  SELECT
    "t2"."payment_id",
    "t2"."program",
    "t2"."id_no",
    "t2"."name",
    "t2"."period",
    "t2"."paid_on",
    "t2"."amount",
    "t2"."account_no",
    "t2"."account_holder_id_no",
    "t2"."region_code",
    "t4"."death_date",
    "t4"."death_sources"
  FROM "payments" AS "t2"
  INNER JOIN (
    SELECT
      "t1"."id_no",
      MIN("t1"."death_date") AS "death_date",
      CASE
        WHEN ARRAY_TO_STRING(
          ARRAY_SORT(
            ARRAY_AGG(DISTINCT REPLACE(REPLACE("t1"."source", '\', '\\'), '"', '\"')) FILTER(WHERE
              REPLACE(REPLACE("t1"."source", '\', '\\'), '"', '\"') IS NOT NULL)
          ),
          '","'
        ) = ''
        THEN '[]'
        ELSE '["' || ARRAY_TO_STRING(
          ARRAY_SORT(
            ARRAY_AGG(DISTINCT REPLACE(REPLACE("t1"."source", '\', '\\'), '"', '\"')) FILTER(WHERE
              REPLACE(REPLACE("t1"."source", '\', '\\'), '"', '\"') IS NOT NULL)
          ),
          '","'
        ) || '"]'
      END AS "death_sources"
    FROM "deaths" AS "t1"
    GROUP BY
      1
  ) AS "t4"
    ON "t2"."id_no" = "t4"."id_no"
) AS "t5"
WHERE
  (
    (
      (
        CAST(SUBSTRING(
          "t5"."period",
          CASE WHEN (
            0 + 1
          ) >= 1 THEN 0 + 1 ELSE 0 + 1 + LENGTH("t5"."period") END,
          4
        ) AS INT) * 12
      ) + CAST(SUBSTRING(
        "t5"."period",
        CASE WHEN (
          5 + 1
        ) >= 1 THEN 5 + 1 ELSE 5 + 1 + LENGTH("t5"."period") END,
        2
      ) AS INT)
    ) - 1
  ) > (
    (
      (
        (
          EXTRACT(year FROM "t5"."death_date") * 12
        ) + EXTRACT(month FROM "t5"."death_date")
      ) - 1
    ) + 0
  )
