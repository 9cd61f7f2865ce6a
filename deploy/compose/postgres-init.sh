#!/bin/sh
# One database per service, each owned by a login role of the same name that may
# connect to its own database only. The postgres image runs this once, when its
# data volume is new; the passwords come from <SERVICE>_DB_PASSWORD.
# COPROD_DATABASES overrides the list (the tests use it to make throwaway names).
set -eu

for name in ${COPROD_DATABASES:-membership directory notifications stories}; do
    variable="$(echo "$name" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
    password="$(printenv "$variable")" || {
        echo "postgres-init: $variable is not set" >&2
        exit 1
    }
    psql --no-psqlrc --set ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" \
        --dbname postgres --set name="$name" --set password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
    echo "postgres-init: database $name ready"
done
