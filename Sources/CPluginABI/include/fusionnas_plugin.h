/*
 * fusionnas_plugin.h — the binary interface between FusionNAS and its plugin libraries.
 *
 * A plugin is a shared library that exports ONE C symbol, `fusionnas_plugin_entry`, returning a
 * pointer to a `fusionnas_plugin_descriptor` (the pattern of ONNX Runtime custom-op libraries and
 * CLAP's `clap_entry`). The host reads `abi_major`, `abi_minor` and `struct_size` first and refuses
 * the library before touching any other field when they do not match; see Docs/plugins.md.
 *
 * Two kinds of content:
 *  - C kernels (`kernels`): a fusion primitive as a forward and a backward function on float
 *    buffers. Their argument lists are declared here at run time (number of tensor inputs and a
 *    list of scalar hyper-parameters) and called through libffi, so no fixed arity is imposed.
 *    A kernels-only plugin depends on this header alone and may leave `core_fingerprint` NULL.
 *  - Swift components (`register_components`): a callback that receives the host's registry. Swift
 *    has no stable ABI on Linux, so such a plugin MUST carry the fingerprint of the core build it
 *    was compiled against (FusionNAS's `CoreBuild.compiledFingerprint`), and the host refuses any
 *    other value.
 *
 * Minimal C plugin:
 *
 *     #include "fusionnas_plugin.h"
 *     static void fwd(int64_t b, int64_t c, int64_t l, const float *x, const float *y, float *out) {...}
 *     static void bwd(int64_t b, int64_t c, int64_t l, const float *x, const float *y,
 *                     const float *out, const float *gout, float *gx, float *gy) {...}
 *     static const fusionnas_kernel_primitive kernels[] = {{
 *         .name = "my_product", .version = "1.0", .summary = "x * y",
 *         .input_count = 2, .forward = (void *)fwd, .backward = (void *)bwd }};
 *     FUSIONNAS_PLUGIN_EXPORT const fusionnas_plugin_descriptor *fusionnas_plugin_entry(void) {
 *         static const fusionnas_plugin_descriptor d = {
 *             FUSIONNAS_PLUGIN_DESCRIPTOR_HEADER, .name = "my-plugin", .version = "1.0",
 *             .kernel_count = 1, .kernels = kernels };
 *         return &d;
 *     }
 */
#ifndef FUSIONNAS_PLUGIN_H
#define FUSIONNAS_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A new major version changes the meaning or layout of existing fields: hosts refuse other majors.
 * A new minor version only appends fields at the end of the descriptor. */
#define FUSIONNAS_PLUGIN_ABI_MAJOR 1
#define FUSIONNAS_PLUGIN_ABI_MINOR 0

/* The one symbol a plugin exports. */
#define FUSIONNAS_PLUGIN_ENTRY_SYMBOL "fusionnas_plugin_entry"

/* Limits of the run-time kernel signatures the host accepts. */
#define FUSIONNAS_KERNEL_MAX_INPUTS 8
#define FUSIONNAS_KERNEL_MAX_SCALARS 8

/* Scalar hyper-parameter types a kernel may take after its buffers (C types float, int64_t, double). */
#define FUSIONNAS_SCALAR_FLOAT 1
#define FUSIONNAS_SCALAR_INT64 2
#define FUSIONNAS_SCALAR_DOUBLE 3

/* Return codes of `init` and `register_components`. */
#define FUSIONNAS_OK 0
#define FUSIONNAS_ERROR 1

#if defined(__GNUC__) || defined(__clang__)
#define FUSIONNAS_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define FUSIONNAS_PLUGIN_EXPORT
#endif

/* One scalar hyper-parameter of a kernel, read from the primitive's configuration options by name. */
typedef struct fusionnas_scalar_parameter {
    const char *name;     /* key in PrimitiveConfiguration.options, e.g. "sharpness" */
    int32_t type;         /* FUSIONNAS_SCALAR_* */
    double default_value; /* used when the option is absent */
} fusionnas_scalar_parameter;

/*
 * A fusion primitive given as two kernels on contiguous row-major float buffers. Every input and
 * the output have shape (batch, channels, length). With N = input_count and scalars s_0..s_{K-1}:
 *
 *   void forward(int64_t batch, int64_t channels, int64_t length,
 *                const float *in_0, ..., const float *in_{N-1}, float *out, s_0, ..., s_{K-1});
 *   void backward(int64_t batch, int64_t channels, int64_t length,
 *                 const float *in_0, ..., const float *in_{N-1}, const float *out,
 *                 const float *grad_out, float *grad_in_0, ..., float *grad_in_{N-1},
 *                 s_0, ..., s_{K-1});
 *
 * `backward` receives zero-filled grad_in buffers and writes d(loss)/d(in_i) into them.
 * Kernels must be pure functions of their arguments (the host may call them from any thread).
 */
typedef struct fusionnas_kernel_primitive {
    const char *name;    /* registry name: letters, digits, '_', '-', '.' */
    const char *version; /* e.g. "1.0" */
    const char *summary; /* one line for `fusion-nas plugins list`; may be NULL */
    int32_t input_count; /* 1 ... FUSIONNAS_KERNEL_MAX_INPUTS */
    int32_t scalar_count; /* 0 ... FUSIONNAS_KERNEL_MAX_SCALARS */
    const fusionnas_scalar_parameter *scalars; /* scalar_count entries */
    void *forward;
    void *backward;
} fusionnas_kernel_primitive;

/* Called once after the checks; returns FUSIONNAS_OK or writes a NUL-terminated reason into `message`. */
typedef int32_t (*fusionnas_init_fn)(char *message, size_t message_capacity);
/* Called once when the host is done with the plugin (or when loading fails after init). */
typedef void (*fusionnas_deinit_fn)(void);
/* Swift plugins: registers components into `registry` (an opaque pointer to the host's
 * ComponentRegistry); `library_path` is the origin to record. Returns FUSIONNAS_OK or writes a reason. */
typedef int32_t (*fusionnas_register_fn)(void *context, void *registry, const char *library_path,
                                         char *message, size_t message_capacity);

typedef struct fusionnas_plugin_descriptor {
    /* --- read first; nothing below is touched when these do not match the host --- */
    uint32_t abi_major;   /* FUSIONNAS_PLUGIN_ABI_MAJOR the plugin was compiled with */
    uint32_t abi_minor;   /* FUSIONNAS_PLUGIN_ABI_MINOR the plugin was compiled with */
    uint32_t struct_size; /* sizeof(fusionnas_plugin_descriptor) as the plugin saw it */
    uint32_t reserved;    /* zero; keeps the pointers below naturally aligned */
    /* --- ABI 1.0 --- */
    const char *name;             /* plugin name, for messages */
    const char *version;          /* plugin version, for messages and listings */
    const char *core_fingerprint; /* build of the FusionNAS core it was compiled against; NULL for kernels-only C plugins */
    fusionnas_init_fn init;       /* may be NULL */
    fusionnas_deinit_fn deinit;   /* may be NULL */
    int32_t kernel_count;
    const fusionnas_kernel_primitive *kernels;
    fusionnas_register_fn register_components; /* may be NULL (C plugins) */
    void *register_context;                    /* passed back to register_components */
} fusionnas_plugin_descriptor;

/* The first fields every descriptor starts with, for designated initialisers. */
#define FUSIONNAS_PLUGIN_DESCRIPTOR_HEADER                                                         \
    .abi_major = FUSIONNAS_PLUGIN_ABI_MAJOR, .abi_minor = FUSIONNAS_PLUGIN_ABI_MINOR,              \
    .struct_size = (uint32_t)sizeof(fusionnas_plugin_descriptor), .reserved = 0

/* The type of the entry point (the host looks it up with dlsym). */
typedef const fusionnas_plugin_descriptor *(*fusionnas_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* FUSIONNAS_PLUGIN_H */
