// OpenSSL's libcrypto (Debian: libssl-dev): SHA-256 checksums of downloaded data, and the HMAC-SHA256 that
// signs the Jupyter kernel's messages.
#include <openssl/evp.h>
#include <openssl/hmac.h>
