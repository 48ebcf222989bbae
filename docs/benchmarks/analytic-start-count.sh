#!/bin/bash
# How many starts an analytic fit needs (docs/benchmarks.md, "How many starts an analytic fit needs").
# Fits SasView's example curves (core/src/test/resources/sasdata) with sphere and core_shell_sphere
# from 32, 64, 128, 256 and 512 starts (seeds 1-3 below 512, seed 1 at 512), one `lnpsaxs fit` per
# run (the fitter's defaults otherwise, no figures), then prints per curve the best loss against the
# 512-start run's, the number of modes, the ensemble's size, the wall and user CPU seconds, and
# whether every verdict is the 512-start run's. Resumable: runs with a report are skipped.
#
#   bash docs/benchmarks/analytic-start-count.sh JAR OUTDIR
#
# JAR: the CLI jar (cli/target/lnpsaxs.jar); OUTDIR: where the runs go. Needs python3 for the table.
set -euo pipefail
JAR=${1:?usage: analytic-start-count.sh JAR OUTDIR}
OUT=${2:?usage: analytic-start-count.sh JAR OUTDIR}
D=$(cd "$(dirname "$0")/../.." && pwd)/core/src/test/resources/sasdata
mkdir -p "$OUT"
run() { # name args...
  local name=$1; shift
  for spec in "512 1" "32 1" "32 2" "32 3" "64 1" "64 2" "64 3" "128 1" "128 2" "128 3" "256 1" "256 2" "256 3"; do
    local n=${spec% *} s=${spec#* } dir="$OUT/$name-${spec% *}-${spec#* }"
    [ -f "$dir/report.json" ] && continue
    /usr/bin/time -f "%e %U" -o "$dir.time" java -jar "$JAR" fit "$@" --starts "$n" --seed "$s" --no-figures \
        --out "$dir" > "$dir.log" 2>&1
    echo "$(date +%T) $name $n $s $(cat "$dir.time")"
  done
}
. "$(dirname "$0")/sasview-fits.sh"
sasview_fits
python3 - "$OUT" <<'PY'
import json, glob, os, sys, collections
rows = collections.defaultdict(dict)
for d in glob.glob(os.path.join(sys.argv[1], '*-*-*')):
    if not os.path.isfile(os.path.join(d, 'report.json')):
        continue
    name, n, s = os.path.basename(d).rsplit('-', 2)
    r = json.load(open(os.path.join(d, 'report.json')))
    wall, user = open(d + '.time').read().split()[:2]
    verdicts = {sp['name']: sp['verdict'] for sp in r['identifiability']['spreads']}
    rows[name][(int(n), int(s))] = (r['best']['loss'], r['identifiability']['modes']['count'],
                                    r['ensemble']['size'], float(wall), float(user), verdicts)
for name in sorted(rows):
    d = rows[name]
    base = d.get((512, 1))
    print(name, 'free:', ', '.join(base[5]) if base else '(no 512-start run)')
    for k in sorted(d):
        loss, modes, size, wall, user, v = d[k]
        rel = (loss - base[0]) / abs(base[0]) if base else float('nan')
        same = 'same verdicts' if base and v == base[5] else 'verdicts ' + str(v)
        print('  %4d starts, seed %d: best loss %.6g (%+.1e of 512), modes %d, ensemble %3d, %6.1f s wall, %6.1f s user, %s'
              % (k[0], k[1], loss, rel, modes, size, wall, user, same))
PY
