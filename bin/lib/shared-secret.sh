# Sourced by bin/all-in-one and bin/loggregator: the shared secret of a local install.
#
# A Liberty server reads the variable loggregator.sharedSecret from the file
# SERVER_DIR/variables/loggregator.sharedSecret (Liberty's variable source directory); agents read
# the same file with --shared-secret-file. The secret is made once, at first start, from 32
# random bytes, and the file is readable by its owner only from the moment it exists.

# Prints the path of the secret file of a server directory.
secret_file() { # server_dir
  echo "$1/variables/loggregator.sharedSecret"
}

# Makes FILE with a new random secret unless it exists; mode 600 from creation.
ensure_secret() { # file
  local file=$1
  [ -s "$file" ] && return 0
  (
    umask 077
    mkdir -p "$(dirname "$file")"
    od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$file.tmp.$$"
    mv "$file.tmp.$$" "$file"
  )
}
