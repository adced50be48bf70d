#!/bin/sh
# Runs once, when the Postgres volume is first initialised. The app's role gets its login here; the
# migration that grants it its rights leaves an existing role as it is.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="$OUTDIAL_APP_PASSWORD" <<'SQL'
CREATE ROLE outdial_app LOGIN PASSWORD :'password';
SQL
