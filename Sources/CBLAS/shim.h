// OpenBLAS's CBLAS interface (Debian: libopenblas-dev). openblas_set_num_threads lets mapl pin thread counts.
#include <cblas.h>
