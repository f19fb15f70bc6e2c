#!/usr/bin/env bash
# planner.sh: how long the rebalancing planner takes, and how much heap it needs, for a large
# cluster (issue 8's goal: 500 hosts x 10,000 guests under 2 s and 512 MiB).
#
# Builds a random cluster from a fixed seed (RandomClusters.large: three host sizes, three CPU
# generations, guests piled unevenly onto some hosts, anti-affinity triples, pinned guests, guests
# with local disks, recently moved guests, hosts in maintenance), then prints for a plan with the
# default settings and for a plan run to convergence: moves, score before and after, and the time
# of three runs (the first on a cold JVM), wall and CPU; then a drain of the fullest host, and the
# heap. The JVM gets at most HEAP of heap, so a plan that needed more would fail here.
#
# Not a pass/fail test. Needs a JDK 17 (javac, java) and nothing else: the planner is plain Java,
# so this compiles it and the benchmark alone into a temporary directory, independent of Maven and
# of the rest of the build.
#
# Environment: HOSTS=500 GUESTS=10000 SEED=20261125 HEAP=512m
set -euo pipefail

HOSTS=${HOSTS:-500}
GUESTS=${GUESTS:-10000}
SEED=${SEED:-20261125}
HEAP=${HEAP:-512m}
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
PLANNER=org/aoemigrate/orchestrator/planner

command -v javac >/dev/null || { echo "planner: needs javac (a JDK 17: apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/aoemt-planner-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

javac -d "$WORK" "$ROOT/orchestrator/src/main/java/$PLANNER"/*.java \
  "$ROOT/orchestrator/src/test/java/$PLANNER/RandomClusters.java" \
  "$ROOT/orchestrator/src/test/java/$PLANNER/PlannerBenchmark.java"
echo "java $(java -version 2>&1 | head -n 1); $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg); -Xmx$HEAP"
java -Xmx"$HEAP" -cp "$WORK" org.aoemigrate.orchestrator.planner.PlannerBenchmark "$HOSTS" "$GUESTS" "$SEED"
