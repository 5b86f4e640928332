# add_cnn_model(NAME <name> MODEL <header> [VARIABLE <c++ name>]
#               [RECIPE <header> [RECIPE_VARIABLE <c++ name>]] [NO_TRAINER] [INFERENCE_ONLY]
#               [SEGMENTS <count>] [EXCLUDE_FROM_ALL] [TARGETS <halide targets>...])
#
# Lowers the model that <header> declares (the constexpr variable cnn::examples::<name>
# unless VARIABLE says otherwise) into Halide kernels at build time:
#   <name>_inference   images -> probabilities
#   <name>_train_step  images, targets -> gradients, new moving statistics, loss, correct
# and links them with the runtime into the trainer build/bin/<name>. With CNN_CUDA, the
# libraries <name>_inference_cuda and <name>_train_step_cuda are built for host-cuda too.
# RECIPE names the header of how the tutorial trains it (a cnn::Recipe, by default
# cnn::examples::<name>_recipe): the trainer's defaults. It is apart from the model so that
# changing it does not regenerate the kernels.
# NO_TRAINER builds the kernels only (the target <name>_kernels), as the tests use them.
# INFERENCE_ONLY generates no training step: its trainer predicts and evaluates only (for
# models whose training step is not worth generating, or not yet within reach).
# SEGMENTS cuts the model into <count> runs of layers (dsl/segments.hpp), each lowered and
# compiled as its own pipelines (<name>_inference_s<k>, _forward_s<k>, _backward_s<k>), which
# generated/segments.cpp.in runs in turn behind the same two functions: for models too large
# for one Halide pipeline (its lowering time grows with the square of its stages). CPU only.
# EXCLUDE_FROM_ALL keeps every target of the model out of the default build. TARGETS replaces
# CNN_CPU_TARGETS (the tests' models: `host`, one variant, as they only run here).
# Outputs land under ${CMAKE_BINARY_DIR}/generated/<name>/.
function(add_cnn_model)
  cmake_parse_arguments(ARG "NO_TRAINER;INFERENCE_ONLY;EXCLUDE_FROM_ALL" "NAME;MODEL;VARIABLE;RECIPE;RECIPE_VARIABLE;SEGMENTS"
                        "TARGETS" ${ARGN})
  set(pipelines inference train_step)
  set(CNN_TRAIN_STEP_INCLUDE "#include \"${ARG_NAME}_train_step.h\"")
  set(CNN_TRAIN_STEP_FUNCTION ${ARG_NAME}_train_step)
  if(ARG_INFERENCE_ONLY)
    set(pipelines inference)
    set(CNN_TRAIN_STEP_INCLUDE "")
    set(CNN_TRAIN_STEP_FUNCTION nullptr)
  endif()
  set(CNN_SEGMENTED_KERNELS nullptr)  # the trainer's ModelKernels::segments
  if(NOT ARG_VARIABLE)
    set(ARG_VARIABLE "cnn::examples::${ARG_NAME}")
  endif()
  if(NOT ARG_TARGETS)
    set(ARG_TARGETS ${CNN_CPU_TARGETS})
  endif()
  set(out_dir ${CMAKE_BINARY_DIR}/generated/${ARG_NAME})
  file(MAKE_DIRECTORY ${out_dir})

  set(CNN_MODEL_HEADER ${ARG_MODEL})
  set(CNN_MODEL_VARIABLE ${ARG_VARIABLE})
  set(CNN_MODEL_NAME ${ARG_NAME})
  configure_file(${PROJECT_SOURCE_DIR}/generated/model_description.cpp.in
                 ${out_dir}/model_description.cpp @ONLY)

  add_halide_generator(${ARG_NAME}.generator
                       SOURCES ${out_dir}/model_description.cpp
                       LINK_LIBRARIES cnn_codegen)

  if(ARG_SEGMENTS AND ARG_SEGMENTS GREATER 1)
    _cnn_segmented_kernels()
  else()
    foreach(pipeline IN LISTS pipelines)
      add_halide_library(${ARG_NAME}_${pipeline} FROM ${ARG_NAME}.generator
                         GENERATOR cnn_${pipeline}
                         FUNCTION_NAME ${ARG_NAME}_${pipeline}
                         TARGETS ${ARG_TARGETS}
                         USE_RUNTIME ${CNN_HALIDE_RUNTIME})
      if(CNN_CUDA)
        add_halide_library(${ARG_NAME}_${pipeline}_cuda FROM ${ARG_NAME}.generator
                           GENERATOR cnn_${pipeline}
                           FUNCTION_NAME ${ARG_NAME}_${pipeline}_cuda
                           TARGETS host-cuda
                           USE_RUNTIME ${CNN_HALIDE_RUNTIME})
      endif()
    endforeach()
    list(TRANSFORM pipelines PREPEND ${ARG_NAME}_ OUTPUT_VARIABLE libraries)
  endif()

  add_library(${ARG_NAME}_kernels INTERFACE)
  target_include_directories(${ARG_NAME}_kernels INTERFACE ${out_dir} ${PROJECT_SOURCE_DIR})
  target_link_libraries(${ARG_NAME}_kernels INTERFACE ${libraries} cnn_dsl)
  if(ARG_EXCLUDE_FROM_ALL)
    set_target_properties(${ARG_NAME}.generator ${libraries} PROPERTIES EXCLUDE_FROM_ALL TRUE)
    foreach(library IN LISTS libraries)
      if(TARGET ${library}.update)  # Halide's target that regenerates a library, in ALL
        set_target_properties(${library}.update PROPERTIES EXCLUDE_FROM_ALL TRUE)
      endif()
    endforeach()
  endif()

  if(ARG_NO_TRAINER)
    return()
  endif()
  if(ARG_RECIPE)
    set(CNN_RECIPE_HEADER ${ARG_RECIPE})
    if(NOT ARG_RECIPE_VARIABLE)
      set(ARG_RECIPE_VARIABLE "cnn::examples::${ARG_NAME}_recipe")
    endif()
    set(CNN_RECIPE_VARIABLE ${ARG_RECIPE_VARIABLE})
  else()
    set(CNN_RECIPE_HEADER dsl/recipe.hpp)
    set(CNN_RECIPE_VARIABLE "cnn::Recipe{}")
  endif()
  configure_file(${PROJECT_SOURCE_DIR}/generated/trainer_main.cpp.in
                 ${out_dir}/trainer_main.cpp @ONLY)
  add_executable(${ARG_NAME} ${out_dir}/trainer_main.cpp)
  if(ARG_EXCLUDE_FROM_ALL)
    set_target_properties(${ARG_NAME} PROPERTIES EXCLUDE_FROM_ALL TRUE)
  endif()
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_NAME}_kernels cnn_runtime)
endfunction()

# add_cnn_model's SEGMENTS: a library per segment and pipeline kind, and the driver that runs
# them (a macro: it reads and sets add_cnn_model's variables, `libraries` among them).
macro(_cnn_segmented_kernels)
  if(CNN_CUDA)
    message(WARNING "${ARG_NAME}: a model in segments is built for the CPU only")
  endif()
  math(EXPR last_segment "${ARG_SEGMENTS} - 1")
  set(libraries)
  set(CNN_SEGMENT_INCLUDES)
  foreach(kind inference forward backward)
    set(segments_of_${kind})
  endforeach()
  foreach(k RANGE ${last_segment})
    foreach(kind inference forward backward)
      if(kind STREQUAL "forward" AND k EQUAL last_segment)
        continue()  # the last segment's forward pass is part of its backward pipeline
      endif()
      if(ARG_INFERENCE_ONLY AND NOT kind STREQUAL "inference")
        continue()
      endif()
      set(function ${ARG_NAME}_${kind}_s${k})
      add_halide_library(${function} FROM ${ARG_NAME}.generator
                         GENERATOR cnn_${kind}_segment
                         FUNCTION_NAME ${function}
                         PARAMS segment=${k} segments=${ARG_SEGMENTS}
                         TARGETS ${ARG_TARGETS}
                         USE_RUNTIME ${CNN_HALIDE_RUNTIME})
      list(APPEND libraries ${function})
      list(APPEND segments_of_${kind} ${function})
      string(APPEND CNN_SEGMENT_INCLUDES "#include \"${function}.h\"\n")
    endforeach()
  endforeach()
  list(JOIN segments_of_inference ", " CNN_INFERENCE_SEGMENTS)
  list(JOIN segments_of_forward ", " CNN_FORWARD_SEGMENTS)
  list(JOIN segments_of_backward ", " CNN_BACKWARD_SEGMENTS)
  set(CNN_SEGMENTS ${ARG_SEGMENTS})
  set(CNN_SEGMENTED_KERNELS "&${ARG_NAME}_segmented()")
  set(CNN_TRAIN_STEP_DEFINITION "")
  if(NOT ARG_INFERENCE_ONLY)
    set(CNN_TRAIN_STEP_DEFINITION "
int ${ARG_NAME}_train_step(halide_buffer_t* images, halide_buffer_t* targets,
                          halide_buffer_t* params, halide_buffer_t* state, std::int32_t seed,
                          std::int32_t step, std::int32_t first_sample,
                          halide_buffer_t* gradients, halide_buffer_t* new_state,
                          halide_buffer_t* loss, halide_buffer_t* correct) {
  return ${ARG_NAME}_segmented().run_train_step(images, targets, params, state, seed, step, first_sample,
                                    gradients, new_state, loss, correct);
}")
    configure_file(${PROJECT_SOURCE_DIR}/generated/segmented_train_step.h.in
                   ${out_dir}/${ARG_NAME}_train_step.h @ONLY)
  endif()
  configure_file(${PROJECT_SOURCE_DIR}/generated/segmented_inference.h.in
                 ${out_dir}/${ARG_NAME}_inference.h @ONLY)
  configure_file(${PROJECT_SOURCE_DIR}/generated/segments.cpp.in ${out_dir}/segments.cpp @ONLY)
  add_library(${ARG_NAME}_segments STATIC ${out_dir}/segments.cpp)
  target_include_directories(${ARG_NAME}_segments PRIVATE ${out_dir} ${PROJECT_SOURCE_DIR})
  target_link_libraries(${ARG_NAME}_segments PRIVATE ${libraries} cnn_runtime)
  list(APPEND libraries ${ARG_NAME}_segments)
endmacro()
