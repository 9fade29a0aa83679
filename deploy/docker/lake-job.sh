#!/usr/bin/env bash
# Runs one ECAP lake job with spark-submit (io.ecap.lake.LakeMain in /opt/ecap/ecap-lake.jar), on the master in
# SPARK_MASTER (default local[*]); with EVERY_SECONDS set, again every EVERY_SECONDS seconds (the compose stack's job
# runner). Arguments: the job and its options, as for `./ecap lake`.
set -euo pipefail
master="${SPARK_MASTER:-local[*]}"
exports="--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -Dchronicle.analytics.disable=true"
# Hadoop's S3 connector, for s3a:// lakes: on the driver's classpath and shipped to the executors
s3_jars="$(ls /opt/ecap/s3/*.jar 2>/dev/null | paste -sd, -)"
run() {
  /opt/spark/bin/spark-submit --master "$master" --class io.ecap.lake.LakeMain \
    --conf "spark.driver.extraJavaOptions=$exports" --conf "spark.executor.extraJavaOptions=$exports" \
    ${s3_jars:+--jars "$s3_jars"} /opt/ecap/ecap-lake.jar "$@"
}
if [[ -z "${EVERY_SECONDS:-}" ]]; then
  run "$@"
  exit
fi
while true; do
  run "$@" || echo "lake-job: $* failed; trying again in ${EVERY_SECONDS} s" >&2
  sleep "$EVERY_SECONDS"
done
