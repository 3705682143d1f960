// oneDNN's C interface (Debian: libdnnl-dev), used by Sources/CConvolution for the convolutions' kernels.
#include <dnnl.h>
