#!/usr/bin/env bash
# `make bench`: load 200,000 actors into PostgreSQL, time the public endpoints and the daily
# freshness pass. Arguments go to bench.py (e.g. `--job-only`: the freshness pass alone).
# Writes docs/benchmarks.md. Needs a local PostgreSQL 15+ (the one of the machine or CI).
# BENCH_DB (default ess_bench) and BENCH_ACTORS (default 200000) change the database and the
# volume; an existing load is reused (seed_demo only adds missing actors).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
BENCH_ACTORS=${BENCH_ACTORS:-200000}
BENCH_LISTINGS=${BENCH_LISTINGS:-50000}
DB_NAME=${BENCH_DB:-ess_bench}
DB_USER=ess

as_postgres() {
    if command -v runuser >/dev/null 2>&1; then
        runuser -u postgres -- "$@"
    else
        su postgres -c "$(printf '%q ' "$@")"
    fi
}

if ! pg_isready -q -h 127.0.0.1; then
    echo "Starting PostgreSQL…"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
fi

if [ "$(as_postgres psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" != "1" ]; then
    as_postgres psql -q -c "CREATE ROLE $DB_USER LOGIN PASSWORD 'ess' CREATEDB"
fi
if [ "$(as_postgres psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != "1" ]; then
    as_postgres psql -q -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
fi

# PostgreSQL's default shared_buffers (128 MB) holds less than the 200,000-actor table
# (about 300 MB): size it as a production server would (a fraction of the RAM), once.
if [ "$(as_postgres psql -tAc "SELECT setting::bigint * 8192 >= 1024^3 FROM pg_settings WHERE name = 'shared_buffers'")" != "t" ]; then
    echo "Setting PostgreSQL shared_buffers to 1GB (restarts the local cluster)…"
    as_postgres psql -q -c "ALTER SYSTEM SET shared_buffers = '1GB'"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main restart
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
fi

export DATABASE_URL="postgres://$DB_USER:ess@127.0.0.1:5432/$DB_NAME"
export SECRET_KEY=bench DEBUG=0 ALLOWED_HOSTS=testserver,localhost
# Production settings otherwise; the anonymous API throttle would refuse the repeats.
export API_ANON_RATE=1000000/min
export GEOCODER_URL="" EMAIL_URL=locmem://

"$PYTHON" manage.py migrate --noinput -v 0
"$PYTHON" manage.py collectstatic --noinput -v 0
mkdir -p var
"$PYTHON" manage.py seed_demo --actors "$BENCH_ACTORS" --listings "$BENCH_LISTINGS" | tee var/bench-seed.log
# The freshness and import benchmarks write to the actors table and restore it; rewriting
# the table puts every run back on the same physical layout as a fresh load.
PGPASSWORD=ess psql -q -h 127.0.0.1 -U "$DB_USER" "$DB_NAME" -c "VACUUM (FULL, ANALYZE) directory_actor"
"$PYTHON" scripts/bench.py --write docs/benchmarks.md --seed-log var/bench-seed.log "$@"
# The spreadsheet import (10,000 rows), into the same database; its actors are removed after.
"$PYTHON" scripts/bench_import.py --write docs/benchmarks.md
# The catalogue: search and lists, the matches of a need, the alert fan-out.
"$PYTHON" scripts/bench_catalogue.py --write docs/benchmarks.md
