# QEMU riscv32 virt: rv32imac (ilp32) with picolibc. Code, models and data
# in the 128 MB RAM at 0x80000000 (the first 4 MB as "flash", the next 4 MB
# as RAM). picolibc's crt0-semihost is needed or QEMU never exits.
#   cmake -S ports -B build-mcu/riscv32-virt \
#         -DCMAKE_TOOLCHAIN_FILE=ports/riscv_qemu/riscv32-virt.cmake
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_ASM_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)

set(MOTE_BOARD riscv32-virt)
set(MOTE_PORT_DIR ${CMAKE_CURRENT_LIST_DIR})
set(MOTE_PORT_SOURCES ${CMAKE_CURRENT_LIST_DIR}/port.c
                      ${CMAKE_CURRENT_LIST_DIR}/../common/semihost.c)
set(MOTE_PORT_LINK_OPTIONS
    --crt0=semihost --oslib=semihost -Wl,--gc-sections
    -Wl,--defsym=__flash=0x80000000 -Wl,--defsym=__flash_size=0x400000
    -Wl,--defsym=__ram=0x80400000 -Wl,--defsym=__ram_size=0x400000
    -Wl,--defsym=__stack_size=0x10000 -Wl,--print-memory-usage)

set(CMAKE_C_FLAGS_INIT
    "-march=rv32imac -mabi=ilp32 --specs=picolibc.specs -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "-march=rv32imac -mabi=ilp32 --specs=picolibc.specs")

find_program(MOTE_QEMU_RISCV32 qemu-system-riscv32)
if(NOT MOTE_QEMU_RISCV32)
  set(MOTE_QEMU_RISCV32 qemu-system-riscv32)
endif()
set(CMAKE_CROSSCOMPILING_EMULATOR
    ${MOTE_QEMU_RISCV32} -M virt -bios none -nographic -monitor none
    -serial none -semihosting-config enable=on,target=native -kernel)
