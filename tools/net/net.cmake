# tools/net: the v2 inference server (`mote serve`) and the client
# transports of hierarchical inference. Needs the Debian packages
# libmicrohttpd-dev libcjson-dev libcurl4-openssl-dev libmosquitto-dev.
find_package(PkgConfig REQUIRED)
pkg_check_modules(MHD REQUIRED IMPORTED_TARGET libmicrohttpd)
pkg_check_modules(CJSON REQUIRED IMPORTED_TARGET libcjson)
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
pkg_check_modules(MOSQUITTO REQUIRED IMPORTED_TARGET libmosquitto)
file(GLOB MOTE_NET_SOURCES CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_LIST_DIR}/*.c)
add_library(mote_net STATIC ${MOTE_NET_SOURCES})
set_target_properties(mote_net PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON)
target_compile_definitions(mote_net PRIVATE _DEFAULT_SOURCE)
target_compile_options(mote_net PRIVATE ${MOTE_WARN})
target_include_directories(mote_net PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(mote_net PUBLIC mote_tools PkgConfig::MHD
                      PkgConfig::CJSON PkgConfig::CURL PkgConfig::MOSQUITTO
                      Threads::Threads)
target_link_libraries(mote PRIVATE mote_net)
