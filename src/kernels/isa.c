/* CPU feature detection and kernel ISA choice (see isa.h). */
#include "isa.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#define MOTE_ISA_X86 1
#else
#define MOTE_ISA_X86 0
#endif

uint32_t mote_isa_cpu(void) {
  uint32_t isa = MOTE_ISA_REF;
#if MOTE_ISA_X86
  unsigned int a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return isa;
  const unsigned int fma = (c >> 12) & 1u, osxsave = (c >> 27) & 1u,
                     avx = (c >> 28) & 1u;
  if (!(fma && osxsave && avx)) return isa;
  unsigned int xlo = 0, xhi = 0;
  __asm__ volatile("xgetbv" : "=a"(xlo), "=d"(xhi) : "c"(0u));
  (void)xhi;
  if ((xlo & 6u) != 6u) return isa; /* OS saves XMM and YMM state */
  if ((unsigned int)__get_cpuid_max(0, 0) < 7u) return isa;
  __cpuid_count(7, 0, a, b, c, d);
  if ((b >> 5) & 1u) isa |= MOTE_ISA_AVX2;
#endif
  return isa;
}

/* What this build has compiled in. */
static uint32_t isa_built(void) {
  uint32_t isa = MOTE_ISA_REF;
#if defined(MOTE_HAVE_AVX2)
  isa |= MOTE_ISA_AVX2;
#endif
  return isa;
}

uint32_t mote_isa_available(void) {
  return mote_isa_cpu() & isa_built();
}

uint32_t mote_isa_select(uint32_t mask) {
  uint32_t ok = mote_isa_available() & (mask ? mask : 0xFFFFFFFFu);
  if (ok & MOTE_ISA_AVX2) return MOTE_ISA_AVX2;
  return MOTE_ISA_REF;
}
