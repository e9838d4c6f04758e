"""Re-screen an archive of posts on Spark with `rdd.pipe` (README: "A
cluster: Spark rdd.pipe").

    python3 examples/spark/rescreen.py 'archive/posts-*.jsonl' verdicts/

Each partition's records go to one preclear process's stdin, one per line;
its stdout lines (one JSON verdict per record, in order) are the new
partition. PRECLEAR names the binary (default: preclear on the PATH) and
SPARK_MASTER the cluster (default: local mode on every core). Needs
pyspark (pip install pyspark) and Java 17 or later.
"""

import os
import sys

from pyspark.sql import SparkSession

PRECLEAR = os.environ.get("PRECLEAR", "preclear")

# The README's command. Spark already runs one process per partition on
# each executor core: --jobs 1. Exit 1/2 are verdicts; with checkCode=True
# only an error (3) fails the task, and the error line is in the
# executor's stderr log.
PIPE = (
    f"sh -c '{PRECLEAR} check --pack financial-institution "
    "--input jsonl --format json --jobs 1; test $? -le 2'"
)


def main(posts_glob, out_dir):
    spark = (
        SparkSession.builder.appName("rescreen-archive")
        .master(os.environ.get("SPARK_MASTER", "local[*]"))
        .getOrCreate()
    )
    try:
        posts = spark.sparkContext.textFile(posts_glob)
        verdicts = posts.pipe(PIPE, checkCode=True)
        verdicts.saveAsTextFile(out_dir)
    finally:
        spark.stop()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: rescreen.py POSTS_GLOB OUT_DIR")
    main(sys.argv[1], sys.argv[2])
