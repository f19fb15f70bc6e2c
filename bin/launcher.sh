# Sourced by the launchers in bin/: runs a module's shaded jar, (re)building it first when it is
# missing or older than any main source or pom of the project (a stale jar would run old code).
# Usage (from a launcher): run_module MODULE "$@"
run_module() {
  local module=$1; shift
  local root; root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  local jar
  jar=$(ls "$root/$module"/target/"$module"-*-cli.jar 2>/dev/null | head -n 1 || true)
  if [ -z "$jar" ] || [ -n "$(find "$root" -regextype posix-extended -regex "$root/[^/]+/target[^/]*" -prune -o \( -path '*/src/main/*' -o -name pom.xml \) -newer "$jar" -print -quit)" ]; then
    echo "$module: building (mvn -DskipTests package) ..." >&2
    (cd "$root" && mvn -B -q -ntp -DskipTests package -pl "$module" -am >&2) || {
      echo "$module: build failed; run 'mvn -DskipTests package' in $root to see why" >&2
      exit 1
    }
    jar=$(ls "$root/$module"/target/"$module"-*-cli.jar | head -n 1)
  fi
  exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
}
