#!/bin/sh
# Entry point of the single-user image (deploy/Dockerfile).
#
# Each trainee's pod runs under its own uid (hub.extraConfig in
# deploy/z2jh/values.yaml), which /etc/passwd does not know. nbgrader takes
# the student id from the OS user name, and the shared exchange keeps
# submissions apart by uid; so give this uid a name, the trainee's hub login,
# through nss_wrapper (Debian's libnss-wrapper), without writing /etc/passwd.
set -eu
uid=$(id -u)
if ! getent passwd "$uid" >/dev/null 2>&1; then
  : "${JUPYTERHUB_USER:?JUPYTERHUB_USER is not set: start this image from JupyterHub}"
  passwd_file=$(mktemp /tmp/passwd.XXXXXX)
  cat /etc/passwd >"$passwd_file"
  printf '%s:x:%s:%s:%s:%s:/bin/bash\n' \
    "$JUPYTERHUB_USER" "$uid" "$(id -g)" "$JUPYTERHUB_USER" "${HOME:-/home/jovyan}" >>"$passwd_file"
  export NSS_WRAPPER_PASSWD="$passwd_file" NSS_WRAPPER_GROUP=/etc/group
  export LD_PRELOAD="${NSS_WRAPPER_LIB:-libnss_wrapper.so}"
fi
exec "$@"
