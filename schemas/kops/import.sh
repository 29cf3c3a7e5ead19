#!/bin/sh
# Kept for old instructions: the import of every schema (kops and cert-manager) is schemas/import.sh.
set -eu
exec sh "$(dirname "$0")/../import.sh"
