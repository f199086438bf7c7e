# Shared part of the Cortex-M toolchain files: the board file sets
# MOTE_BOARD, MOTE_CPU_FLAGS, MOTE_QEMU_MACHINE and MOTE_QEMU_CPU first.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)

set(MOTE_PORT_DIR ${CMAKE_CURRENT_LIST_DIR})
set(MOTE_PORT_SOURCES ${CMAKE_CURRENT_LIST_DIR}/startup.c
                      ${CMAKE_CURRENT_LIST_DIR}/../common/semihost.c)
set(MOTE_PORT_LINK_OPTIONS
    -nostartfiles --specs=nano.specs --specs=nosys.specs -Wl,--gc-sections
    -L${CMAKE_CURRENT_LIST_DIR} -T${CMAKE_CURRENT_LIST_DIR}/${MOTE_BOARD}.ld
    -Wl,--print-memory-usage)

string(JOIN " " _mote_flags ${MOTE_CPU_FLAGS} -ffunction-sections -fdata-sections)
set(CMAKE_C_FLAGS_INIT "${_mote_flags}")
set(CMAKE_ASM_FLAGS_INIT "${_mote_flags}")

# ctest runs each firmware in QEMU: semihosting output on stderr, the exit
# status through SYS_EXIT_EXTENDED.
find_program(MOTE_QEMU_ARM qemu-system-arm)
if(NOT MOTE_QEMU_ARM)
  set(MOTE_QEMU_ARM qemu-system-arm)
endif()
set(CMAKE_CROSSCOMPILING_EMULATOR
    ${MOTE_QEMU_ARM} -M ${MOTE_QEMU_MACHINE} -cpu ${MOTE_QEMU_CPU} -nographic
    -monitor none -serial none -semihosting-config enable=on,target=native
    -kernel)
