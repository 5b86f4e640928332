# Compiles SOURCE and passes only when the compiler rejects it with every phrase that the
# source lists on its `// expect: ...` lines somewhere in its output.
# Usage: cmake -DCXX=... -DINCLUDE=... -DSOURCE=... -P expect_compile_error.cmake
file(STRINGS "${SOURCE}" expect_lines REGEX "^// expect: ")
if(NOT expect_lines)
  message(FATAL_ERROR "${SOURCE} lists no `// expect:` line")
endif()
execute_process(
  COMMAND "${CXX}" -std=c++20 -fsyntax-only -I "${INCLUDE}" "${SOURCE}"
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(status EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but it declares an ill-formed model")
endif()
set(text "${out}${err}")
foreach(line IN LISTS expect_lines)
  string(REGEX REPLACE "^// expect: " "" phrase "${line}")
  string(FIND "${text}" "${phrase}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the error for ${SOURCE} lacks \"${phrase}\":\n${text}")
  endif()
endforeach()
message(STATUS "rejected as expected: ${SOURCE}")
