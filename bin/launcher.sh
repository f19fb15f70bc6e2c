# Sourced by the launchers in bin/: runs a module's shaded jar, (re)building it first when it is
# missing or older than any main source or pom of the project (a stale jar would run old code).
# Usage (from a launcher): run_module MODULE "$@", with LAUNCHER_LONG_RUNNING set to the
# subcommands that run for long (a daemon, an attach, a benchmark), or '*' if every one does.
# Every process a launcher starts costs about 2 ms of each short command (the client, the check):
# paths are cut with parameter expansions and jars found with globs, not dirname, basename or ls.
run_module() {
  local module=$1; shift
  local root=${BASH_SOURCE[0]%/*/*}   # the launchers source this file by its absolute path (readlink -f)
  local jar
  jar=$(launcher_built_jar "$root" "$module")
  # the sources and poms of every module: a jar older than any of them is stale
  if [ -z "$jar" ] || [ -n "$(find "$root"/*/src/main "$root"/pom.xml "$root"/*/pom.xml -newer "$jar" -print -quit)" ]; then
    echo "$module: building (mvn -DskipTests package) ..." >&2
    (cd "$root" && mvn -B -q -ntp -DskipTests package -pl "$module" -am >&2) || {
      echo "$module: build failed; run 'mvn -DskipTests package' in $root to see why" >&2
      exit 1
    }
    jar=$(launcher_built_jar "$root" "$module")
    # Maven leaves a jar whose own inputs did not change untouched, and the test above looks at
    # every module's sources: without this, every run after an edit elsewhere would build again.
    touch "$jar"
  fi
  # A build rewrites the jar in place (same inode), and a JVM still running from it (an attach
  # serving a guest's disk, the daemon) then fails to load its next class: it dies on the
  # first code path it had not used yet. So each build is run from a copy of its own that no
  # build writes again; a clean deletes it, which a running JVM survives (it holds the inode).
  local copy name=${jar##*/}
  copy="$root/$module/target/run/${name%.jar}-$(stat -c %Y.%s "$jar").jar"
  if [ ! -f "$copy" ]; then
    mkdir -p "${copy%/*}"
    cp "$jar" "$copy.$$" && mv -f "$copy.$$" "$copy"
    # Earlier builds' copies and class archives (11 MB per subcommand) would pile up with every
    # build. A JVM still running from one keeps its inode; the 10 minutes spare a launcher that
    # picked one just before this build.
    find "${copy%/*}" -maxdepth 1 -name "${name%.jar}-*" ! -name "${copy##*/}*" -mmin +10 -delete
  fi
  launcher_long_running "$@" || launcher_run_short "$copy" "$@"
  exec java ${JAVA_OPTS:-} -jar "$copy" "$@"
}

# The module's shaded jar (MODULE-VERSION-cli.jar), or nothing if it is not built.
launcher_built_jar() {
  local jars=("$1/$2"/target/"$2"-*-cli.jar)
  [ -e "${jars[0]}" ] && echo "${jars[0]}"
  return 0
}

launcher_long_running() {
  local word arg
  [ "${LAUNCHER_LONG_RUNNING:-}" = '*' ] && return 0
  for word in ${LAUNCHER_LONG_RUNNING:-}; do
    for arg in "$@"; do [ "$arg" = "$word" ] && return 0; done
  done
  return 1
}

# A short-lived command (the destination check run over ssh before each migration, the aoemigrate
# client) spends most of its time starting: loading, parsing and verifying classes, and running
# them interpreted. Two things cut that: C1 alone (-XX:TieredStopAtLevel=1: quick compiles, no C2
# that a short run never profits from), and an AppCDS archive of the classes the command loads
# (mapped, already parsed and verified). The first run of each subcommand after a build writes the
# archive at its exit (-XX:ArchiveClassesAtExit), beside the jar's copy; later runs map it. The
# JVM's own warnings go to stderr, so a --json stdout stays clean, except what CDS says of each
# class it leaves out of an archive (the JDK's generated reflection accessors): nothing to act on.
# Picocli is built for Java 17 (picocli-java17/) so that its classes can be archived too.
launcher_run_short() {
  local copy=$1; shift
  local key=main cds tmp pid status=0
  local opts=(-XX:TieredStopAtLevel=1 -Xlog:disable -Xlog:all=warning:stderr -Xlog:cds=off:stderr
    -Xlog:cds+dynamic=off:stderr)
  [[ ${1:-} =~ ^[a-z][a-z-]*$ ]] && key=$1
  cds="$copy.$key.jsa"
  if [ -f "$cds" ]; then
    exec java "${opts[@]}" -XX:SharedArchiveFile="$cds" ${JAVA_OPTS:-} -jar "$copy" "$@"
  fi
  if [ -e "$cds.failed" ] || launcher_asks_for_help "$@"; then
    exec java "${opts[@]}" ${JAVA_OPTS:-} -jar "$copy" "$@"
  fi
  # Not exec: the archive is renamed into place once the JVM has written all of it, so a run at
  # the same time never maps half an archive. Signals sent to this shell reach the JVM.
  tmp="$cds.$$"
  java "${opts[@]}" -XX:ArchiveClassesAtExit="$tmp" ${JAVA_OPTS:-} -jar "$copy" "$@" <&0 &
  pid=$!
  trap 'kill -TERM "$pid" 2>/dev/null' TERM INT HUP
  wait "$pid" || status=$?
  while kill -0 "$pid" 2>/dev/null; do status=0; wait "$pid" || status=$?; done
  trap - TERM INT HUP
  if [ -s "$tmp" ]; then
    mv -f "$tmp" "$cds"
  else
    rm -f "$tmp"
    ((status >= 128)) || : > "$cds.failed"   # the JVM ran to its end and wrote none: do not try again
  fi
  exit "$status"
}

# --help and --version load few classes: an archive of them would serve a real run badly.
launcher_asks_for_help() {
  local arg
  for arg in "$@"; do
    case $arg in -h | --help | -V | --version | help | generate-completion) return 0 ;; esac
  done
  return 1
}
