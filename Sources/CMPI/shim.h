// Open MPI's C API; the include and library directories come from pkg-config (`ompi-c`).
//
// Open MPI's handles are macros over the addresses of global objects
// (`#define MPI_COMM_WORLD OMPI_PREDEFINED_GLOBAL(MPI_Comm, ompi_mpi_comm_world)`), which Swift
// cannot import; these inline functions hand them over as plain values. They are compiled against
// the installed mpi.h, so they stay right for whichever MPI the header comes from.
#define OMPI_SKIP_MPICXX 1
#include <mpi.h>

static inline MPI_Comm fusionnas_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype fusionnas_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype fusionnas_mpi_int(void) { return MPI_INT; }
static inline MPI_Datatype fusionnas_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Op fusionnas_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op fusionnas_mpi_max(void) { return MPI_MAX; }
static inline int fusionnas_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
