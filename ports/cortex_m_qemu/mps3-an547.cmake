# mps3-an547: Cortex-M55 with MVE (Helium, integer + float) under QEMU.
set(MOTE_BOARD mps3-an547)
set(MOTE_CPU_FLAGS -mcpu=cortex-m55 -mthumb -mfloat-abi=hard)
set(MOTE_QEMU_MACHINE mps3-an547)
set(MOTE_QEMU_CPU cortex-m55)
include(${CMAKE_CURRENT_LIST_DIR}/cortex_m_common.cmake)
