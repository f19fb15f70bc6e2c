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
    # Maven leaves a jar whose own inputs did not change untouched, and the test above looks at
    # every module's sources: without this, every run after an edit elsewhere would build again.
    touch "$jar"
  fi
  # A build rewrites the jar in place (same inode), and a JVM still running from it (an attach
  # serving a guest's disk, the daemon) then fails to load its next class: it dies on the
  # first code path it had not used yet. So each build is run from a copy of its own that no
  # build writes again; a clean deletes it, which a running JVM survives (it holds the inode).
  local copy
  copy="$root/$module/target/run/$(basename "$jar" .jar)-$(stat -c %Y.%s "$jar").jar"
  if [ ! -f "$copy" ]; then
    mkdir -p "${copy%/*}"
    cp "$jar" "$copy.$$" && mv -f "$copy.$$" "$copy"
  fi
  exec java ${JAVA_OPTS:-} -jar "$copy" "$@"
}
