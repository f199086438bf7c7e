# AArch64 Linux cross build (Debian gcc-aarch64-linux-gnu and
# libc6-dev-arm64-cross); ctest runs every test binary under qemu-user
# (qemu-aarch64, default CPU "max": NEON and the dot-product extension).
#   cmake -S . -B build-aarch64 \
#         -DCMAKE_TOOLCHAIN_FILE=$PWD/cmake/aarch64-linux-gnu.cmake
# The host tools are built in their minimal form (MOTE_TOOLS_MINIMAL: no
# zlib, curl, microhttpd or mosquitto for arm64), which is what the
# conformance, unit and kernel tests need.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(MOTE_AARCH64_SYSROOT /usr/aarch64-linux-gnu CACHE PATH
    "Target libraries for qemu-user (-L)")
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
find_program(MOTE_QEMU_AARCH64 qemu-aarch64)
if(NOT MOTE_QEMU_AARCH64)
  set(MOTE_QEMU_AARCH64 qemu-aarch64)
endif()
set(CMAKE_CROSSCOMPILING_EMULATOR ${MOTE_QEMU_AARCH64} -L
                                  ${MOTE_AARCH64_SYSROOT})
set(CMAKE_FIND_ROOT_PATH ${MOTE_AARCH64_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(MOTE_TOOLS_MINIMAL ON CACHE BOOL "" FORCE)
