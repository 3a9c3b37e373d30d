SELECT
  'R01' AS "rule",
  "t6"."id_no" AS "subject",
  "t6"."program",
  "t6"."period",
  CAST("t6"."amount" AS DECIMAL(18, 2)) AS "amount",
  '{' || '"payment_id":' || CASE
    WHEN "t6"."payment_id" IS NULL
    THEN 'null'
    ELSE '"' || REPLACE(REPLACE("t6"."payment_id", '\', '\\'), '"', '\"') || '"'
  END || ',' || '"paid_on":' || CASE
    WHEN "t6"."paid_on" IS NULL
    THEN 'null'
    ELSE '"' || CAST("t6"."paid_on" AS TEXT) || '"'
  END || ',' || '"amount":' || CASE WHEN "t6"."amount" IS NULL THEN 'null' ELSE CAST("t6"."amount" AS TEXT) END || ',' || '"account_no":' || CASE
    WHEN "t6"."account_no" IS NULL
    THEN 'null'
    ELSE '"' || REPLACE(REPLACE("t6"."account_no", '\', '\\'), '"', '\"') || '"'
  END || ',' || '"death_date":' || CASE
    WHEN "t6"."death_date" IS NULL
    THEN 'null'
    ELSE '"' || CAST("t6"."death_date" AS TEXT) || '"'
  END || ',' || '"death_sources":' || "t6"."death_sources" || '}' AS "evidence"
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
    "t2"."id_key",
    "t2"."account_holder_id_key",
    "t5"."death_date",
    "t5"."death_sources",
    "t5"."last_month"
  FROM "payments" AS "t2"
  INNER JOIN (
    SELECT
      "t3"."id_key",
      "t3"."death_date",
      "t3"."death_sources",
      CASE
        WHEN 4 <= LENGTH(
          CAST(CAST(FLOOR(
            (
              (
                (
                  (
                    EXTRACT(year FROM "t3"."death_date") * 12
                  ) + EXTRACT(month FROM "t3"."death_date")
                ) - 1
              ) + 0
            ) / (
              12
            )
          ) AS BIGINT) AS TEXT)
        )
        THEN CAST(CAST(FLOOR(
          (
            (
              (
                (
                  EXTRACT(year FROM "t3"."death_date") * 12
                ) + EXTRACT(month FROM "t3"."death_date")
              ) - 1
            ) + 0
          ) / (
            12
          )
        ) AS BIGINT) AS TEXT)
        ELSE CONCAT(
          REPEAT(
            '0',
            4 - LENGTH(
              CAST(CAST(FLOOR(
                (
                  (
                    (
                      (
                        EXTRACT(year FROM "t3"."death_date") * 12
                      ) + EXTRACT(month FROM "t3"."death_date")
                    ) - 1
                  ) + 0
                ) / (
                  12
                )
              ) AS BIGINT) AS TEXT)
            )
          ),
          CAST(CAST(FLOOR(
            (
              (
                (
                  (
                    EXTRACT(year FROM "t3"."death_date") * 12
                  ) + EXTRACT(month FROM "t3"."death_date")
                ) - 1
              ) + 0
            ) / (
              12
            )
          ) AS BIGINT) AS TEXT)
        )
      END || '-' || CASE
        WHEN 2 <= LENGTH(
          CAST((
            (
              (
                (
                  (
                    EXTRACT(year FROM "t3"."death_date") * 12
                  ) + EXTRACT(month FROM "t3"."death_date")
                ) - 1
              ) + 0
            ) % 12
          ) + 1 AS TEXT)
        )
        THEN CAST((
          (
            (
              (
                (
                  EXTRACT(year FROM "t3"."death_date") * 12
                ) + EXTRACT(month FROM "t3"."death_date")
              ) - 1
            ) + 0
          ) % 12
        ) + 1 AS TEXT)
        ELSE CONCAT(
          REPEAT(
            '0',
            2 - LENGTH(
              CAST((
                (
                  (
                    (
                      (
                        EXTRACT(year FROM "t3"."death_date") * 12
                      ) + EXTRACT(month FROM "t3"."death_date")
                    ) - 1
                  ) + 0
                ) % 12
              ) + 1 AS TEXT)
            )
          ),
          CAST((
            (
              (
                (
                  (
                    EXTRACT(year FROM "t3"."death_date") * 12
                  ) + EXTRACT(month FROM "t3"."death_date")
                ) - 1
              ) + 0
            ) % 12
          ) + 1 AS TEXT)
        )
      END AS "last_month"
    FROM (
      SELECT
        "t1"."id_key",
        MIN("t1"."death_date") AS "death_date",
        CASE
          WHEN COALESCE(
            ARRAY_TO_STRING(
              ARRAY_SORT(
                ARRAY_AGG(DISTINCT REPLACE(REPLACE("t1"."source", '\', '\\'), '"', '\"')) FILTER(WHERE
                  REPLACE(REPLACE("t1"."source", '\', '\\'), '"', '\"') IS NOT NULL)
              ),
              '","'
            ),
            ''
          ) = ''
          THEN '[]'
          ELSE '["' || COALESCE(
            ARRAY_TO_STRING(
              ARRAY_SORT(
                ARRAY_AGG(DISTINCT REPLACE(REPLACE("t1"."source", '\', '\\'), '"', '\"')) FILTER(WHERE
                  REPLACE(REPLACE("t1"."source", '\', '\\'), '"', '\"') IS NOT NULL)
              ),
              '","'
            ),
            ''
          ) || '"]'
        END AS "death_sources"
      FROM "deaths" AS "t1"
      GROUP BY
        1
    ) AS "t3"
  ) AS "t5"
    ON "t2"."id_key" = "t5"."id_key"
) AS "t6"
WHERE
  "t6"."period" > "t6"."last_month"
