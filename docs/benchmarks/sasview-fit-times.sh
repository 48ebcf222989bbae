#!/bin/bash
# Two builds of lnpsaxs fitting SasView's example curves (core/src/test/resources/sasdata) as a user
# would (docs/benchmarks.md, "q bands"): the twelve fits of analytic-start-count.sh and the wide-q
# Lew_Sa3 file with sphere, each at the model's default number of starts and seed 1 (the fitter's
# defaults otherwise, no figures), the two jars alternated per fit, one `lnpsaxs fit` per run. Then
# prints per fit the wall and user CPU seconds of each jar, their ratio, both best losses, the
# number of modes and whether every verdict agrees. Resumable: runs with a report are skipped.
#
#   bash docs/benchmarks/sasview-fit-times.sh BASE.jar NEW.jar OUTDIR
#
# Needs python3 for the table.
set -euo pipefail
A=${1:?usage: sasview-fit-times.sh BASE.jar NEW.jar OUTDIR}
B=${2:?usage: sasview-fit-times.sh BASE.jar NEW.jar OUTDIR}
OUT=${3:?usage: sasview-fit-times.sh BASE.jar NEW.jar OUTDIR}
D=$(cd "$(dirname "$0")/../.." && pwd)/core/src/test/resources/sasdata
mkdir -p "$OUT"
run() { # name args...
  local name=$1; shift
  for side in base new; do
    local jar=$A dir="$OUT/$name-$side"
    [ "$side" = new ] && jar=$B
    [ -f "$dir/report.json" ] && continue
    /usr/bin/time -f "%e %U" -o "$dir.time" java -jar "$jar" fit "$@" --seed 1 --no-figures --out "$dir" \
        > "$dir.log" 2>&1
    echo "$(date +%T) $name $side $(cat "$dir.time")"
  done
}
. "$(dirname "$0")/sasview-fits.sh"
sasview_fits
run lew "$D/Lew_Sa3_DSM_QinA.h5" --model sphere
python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
names = sorted({f.rsplit('-', 1)[0] for f in os.listdir(out) if f.endswith('.time')})
tot = {'base': [0, 0], 'new': [0, 0]}
for name in names:
    r = {}
    for side in ('base', 'new'):
        d = os.path.join(out, name + '-' + side)
        if not os.path.isfile(os.path.join(d, 'report.json')):
            break
        rep = json.load(open(os.path.join(d, 'report.json')))
        wall, user = map(float, open(d + '.time').read().split()[:2])
        r[side] = (rep['best']['loss'], rep['identifiability']['modes']['count'], wall, user,
                   {sp['name']: sp['verdict'] for sp in rep['identifiability']['spreads']})
    if len(r) < 2:
        continue
    for side in r:
        tot[side][0] += r[side][2]
        tot[side][1] += r[side][3]
    b, n = r['base'], r['new']
    print('%-9s wall %6.1f / %6.1f s (%.2f), user %6.1f / %6.1f s, best loss %.10g / %.10g (%+.1e), modes %d / %d, %s'
          % (name, b[2], n[2], n[2] / b[2], b[3], n[3], b[0], n[0], (n[0] - b[0]) / abs(b[0]), b[1], n[1],
             'same verdicts' if b[4] == n[4] else 'verdicts differ: %s / %s' % (b[4], n[4])))
print('all       wall %6.1f / %6.1f s (%.2f), user %6.1f / %6.1f s' % (tot['base'][0], tot['new'][0],
      tot['new'][0] / max(tot['base'][0], 1e-9), tot['base'][1], tot['new'][1]))
PY
