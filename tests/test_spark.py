"""The Spark recipe of the README (mapInPandas with framing.frames.score_batches) gives what one process gives.

Optional, as issue #16 asks: Spark is a documented recipe, not an engine of the project, and
needs Java 17 and pyspark (not in the test extra); without them this test is skipped. The batch
function it runs is tested without Spark in test_frames.py.
"""

import shutil
import sys

import pandas as pd
import pytest

from framing.frames import score_frame, spark_schema
from framing.lexicon import load_lexicon

from .conftest import DATA

pytest.importorskip("pyspark", reason="the Spark recipe needs pyspark (pip install pyspark)")
if shutil.which("java") is None:
    pytest.skip("the Spark recipe needs Java 17", allow_module_level=True)

TEXTS = ["قصفت ميليشيات حفتر الأحياء.", "تقدمت ميليشيات الوفاق ومرتزقتها.", "التقى المبعوث الأممي بالطرفين."]


def test_map_in_pandas_equals_one_process(monkeypatch):
    from pyspark.sql import SparkSession

    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)  # Spark's Python workers need framing installed

    from framing.frames import score_batches

    lexicon = load_lexicon(DATA / "mini")
    pdf = pd.DataFrame({"id": [f"a{k:03d}" for k in range(60)], "outlet": ["X", "Y", "Z"] * 20,
                        "text": [TEXTS[k % 3] for k in range(60)]})
    spark = (SparkSession.builder.master("local[2]").appName("framing-test")
             .config("spark.ui.enabled", "false").getOrCreate())
    try:
        articles = spark.createDataFrame(pdf).repartition(3)
        fields = ["id", "outlet"]
        scores = articles.mapInPandas(lambda batches: score_batches(batches, lexicon, where_field="id", fields=fields),
                                      schema=spark_schema(lexicon, fields))
        got = scores.toPandas().sort_values("where").reset_index(drop=True)
    finally:
        spark.stop()
    want = score_frame(pdf, lexicon, where_field="id")
    assert len(got) == 60 and list(got.columns) == list(want.columns)
    for column in ("where", "outlet", "lean", "sides.lna", "parties.gna.net", "words", "matches"):
        # Missing as None on both sides (a text column's missing value is NaN in one, None in the other).
        assert [None if pd.isna(x) else x for x in got[column]] == \
            [None if pd.isna(x) else x for x in want[column]], column
