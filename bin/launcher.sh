# shellcheck shell=bash
# Sourced by the launchers in bin/: runs a module's shaded jar, (re)building it first when it is
# missing or older than any main source or pom of the project (a stale jar would run old code).
# Usage (from a launcher): run_module MODULE COMMAND "$@". The JVM starts as an installed command's
# does: the Ansible role's java-command.sh, which the role installs beside the jar.
LAUNCHER_ROOT=${BASH_SOURCE[0]%/*/*}   # the launchers source this file by its absolute path (readlink -f)
source "$LAUNCHER_ROOT/ansible/roles/java_command/files/java-command.sh"

# Every process a launcher starts costs about 2 ms of each short command (the client, the check):
# paths are cut with parameter expansions and jars found with globs, not dirname, basename or ls.
run_module() {
  local module=$1 command=$2; shift 2
  local root=$LAUNCHER_ROOT
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
  java_command_run "$command" "$copy" "$@"
}

# The module's shaded jar (MODULE-VERSION-cli.jar), or nothing if it is not built.
launcher_built_jar() {
  local jars=("$1/$2/target/$2"-*-cli.jar)
  [ -e "${jars[0]}" ] && echo "${jars[0]}"
  return 0
}
