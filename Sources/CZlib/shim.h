#ifndef ANDON_CZLIB_SHIM_H
#define ANDON_CZLIB_SHIM_H
#include <zlib.h>
#endif
