/* SwiftPM needs one source file in a C target; the ABI is entirely in include/fusionnas_plugin.h. */
#include "fusionnas_plugin.h"
