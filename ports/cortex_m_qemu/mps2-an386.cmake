# mps2-an386: Cortex-M4F (DSP, single-precision FPU) under QEMU.
#   cmake -S ports -B build-mcu/mps2-an386 \
#         -DCMAKE_TOOLCHAIN_FILE=ports/cortex_m_qemu/mps2-an386.cmake
set(MOTE_BOARD mps2-an386)
set(MOTE_CPU_FLAGS -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16)
set(MOTE_QEMU_MACHINE mps2-an386)
set(MOTE_QEMU_CPU cortex-m4)
include(${CMAKE_CURRENT_LIST_DIR}/cortex_m_common.cmake)
