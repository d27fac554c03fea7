// OpenBLAS's CBLAS interface; the include directory comes from pkg-config (`openblas`).
#include <cblas.h>
// Declared by OpenBLAS but not by every cblas.h variant.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
