#ifndef ANDON_TIME_STAMP_COUNTER_SHIM_H
#define ANDON_TIME_STAMP_COUNTER_SHIM_H

#include <stdint.h>

// The processor's time-stamp counter: one instruction, where a clock_gettime call goes through the kernel's clock page
// and costs several times more. Only meaningful where the kernel keeps time by it (its clock source is "tsc"); 0 on
// processors without one.
static inline uint64_t andon_time_stamp_counter(void) {
#if defined(__x86_64__)
    return __builtin_ia32_rdtsc();
#else
    return 0;
#endif
}

#endif
