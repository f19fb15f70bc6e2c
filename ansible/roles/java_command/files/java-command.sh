# shellcheck shell=bash
# shellcheck disable=SC2086  # JAVA_OPTS holds any number of options: split on purpose
# How aoemigrate's commands start their JVM. Sourced by the launchers this role installs and by
# the checkout's bin/ launchers (bin/launcher.sh), so an installed command starts as the
# benchmarks measure it.
#
# java_command_run COMMAND JAR ARGS...: runs JAR as COMMAND (aoe-target, aoe-initiator or
# aoemigrate) with ARGS, in place of this shell.

java_command_run() {
  local command=$1 jar=$2; shift 2
  java_command_runs_long "$command" "$@" || java_command_run_short "$jar" "$@"
  exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
}

# The runs that last (a service, an attach, a benchmark) get the JVM's full compilers and no class
# archive; every other run is short.
java_command_runs_long() {
  local command=$1 arg; shift
  [ "$command" = aoe-target ] && return 0   # it serves its exports until it is stopped
  for arg in "$@"; do
    case $command:$arg in aoe-initiator:attach | aoe-initiator:bench | aoemigrate:daemon) return 0 ;; esac
  done
  return 1
}

# A short-lived command (the destination check run over ssh before each migration, the aoemigrate
# client) spends most of its time starting: loading, parsing and verifying classes, and running
# them interpreted. Three things cut that:
# - C1 alone (-XX:TieredStopAtLevel=1: quick compiles, no C2 that a short run never profits from);
# - one compiler thread: a second one takes a core from the command's own two threads (the main
#   one and the client's warm-up). On two cores, the client's start went from 160 to 150 ms;
# - an AppCDS archive of the classes the command loads (mapped, already parsed and verified).
# The first run of each subcommand writes the archive at its exit (-XX:ArchiveClassesAtExit) beside
# the jar, if the user may write there; later runs map it. An archive belongs to one jar: bin/ runs
# each build from a copy of its own, and the role removes a replaced jar's archives (a JVM given an
# archive of another jar ignores it). The JVM's own warnings go to stderr, so a --json stdout stays
# clean, except what CDS says of each class it leaves out of an archive (the JDK's generated
# reflection accessors): nothing to act on. Picocli is built for Java 17 (picocli-java17/) so that
# its classes can be archived too.
java_command_run_short() {
  local jar=$1; shift
  local key=main cds tmp pid status=0
  local opts=(-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xlog:disable -Xlog:all=warning:stderr
    -Xlog:cds=off:stderr -Xlog:cds+dynamic=off:stderr)
  [[ ${1:-} =~ ^[a-z][a-z-]*$ ]] && key=$1
  cds="$jar.$key.jsa"
  if [ -f "$cds" ]; then
    exec java "${opts[@]}" -XX:SharedArchiveFile="$cds" ${JAVA_OPTS:-} -jar "$jar" "$@"
  fi
  if [ -e "$cds.failed" ] || [ ! -w "${jar%/*}" ] || java_command_asks_for_help "$@"; then
    exec java "${opts[@]}" ${JAVA_OPTS:-} -jar "$jar" "$@"
  fi
  # Not exec: the archive is renamed into place once the JVM has written all of it, so a run at
  # the same time never maps half an archive. Signals sent to this shell reach the JVM.
  tmp="$cds.$$"
  java "${opts[@]}" -XX:ArchiveClassesAtExit="$tmp" ${JAVA_OPTS:-} -jar "$jar" "$@" <&0 &
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
java_command_asks_for_help() {
  local arg
  for arg in "$@"; do
    case $arg in -h | --help | -V | --version | help | generate-completion) return 0 ;; esac
  done
  return 1
}
