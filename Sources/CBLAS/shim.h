// OpenBLAS's CBLAS interface; the include directory comes from pkg-config (`openblas`).
#include <cblas.h>
// Declared by OpenBLAS but not by every cblas.h variant.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
// The name of the kernel family OpenBLAS chose when it was loaded (e.g. "Haswell", "SkylakeX").
char *openblas_get_corename(void);
