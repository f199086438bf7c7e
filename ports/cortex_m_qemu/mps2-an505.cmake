# mps2-an505: Cortex-M33 (DSP, FPU; boots secure) under QEMU.
set(MOTE_BOARD mps2-an505)
set(MOTE_CPU_FLAGS -mcpu=cortex-m33 -mthumb -mfloat-abi=hard)
set(MOTE_QEMU_MACHINE mps2-an505)
set(MOTE_QEMU_CPU cortex-m33)
include(${CMAKE_CURRENT_LIST_DIR}/cortex_m_common.cmake)
