// OpenSSL's libcrypto (Debian: libssl-dev), used for SHA-256 checksums of downloaded data.
#include <openssl/evp.h>
