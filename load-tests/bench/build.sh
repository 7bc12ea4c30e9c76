# Builds what the benchmarks run, without installing anything into ~/.m2: Ferry's jar
# (coordinator/target/ferry.jar), the load-tests classes and their classpath
# (load-tests/target/bench.classpath), all in one reactor build. Source it from a bench script.
# FERRY_BENCH_NO_BUILD=1 skips it when both are there; FERRY_MVN_OPTS adds Maven flags (e.g. -o).
ferry_bench_build() {
  local root=$1
  local cp=$root/load-tests/target/bench.classpath
  if [ "${FERRY_BENCH_NO_BUILD:-0}" = 1 ] && [ -f "$cp" ] && [ -f "$root/coordinator/target/ferry.jar" ]; then
    return 0
  fi
  echo "==> building (mvn package, tests skipped)" >&2
  # shellcheck disable=SC2086
  (cd "$root" && mvn -B -ntp -q ${FERRY_MVN_OPTS:-} package -DskipTests -pl load-tests -am \
    dependency:build-classpath -Dmdep.outputFile="$cp" -Dmdep.includeScope=runtime)
}
