# Compile every source in SOURCES with CC and FLAGS into OUT; fail on the
# first error or warning. Prints the total object size as a footprint hint.
file(MAKE_DIRECTORY ${OUT})
set(total 0)
foreach(src ${SOURCES})
  get_filename_component(name ${src} NAME_WE)
  execute_process(COMMAND ${CC} ${FLAGS} -c ${src} -o ${OUT}/${name}.o
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT "${err}" STREQUAL "")
    message(FATAL_ERROR "${src}:\n${out}${err}")
  endif()
  file(SIZE ${OUT}/${name}.o sz)
  math(EXPR total "${total} + ${sz}")
endforeach()
list(LENGTH SOURCES n)
message(STATUS "compiled ${n} files, ${total} object bytes")
