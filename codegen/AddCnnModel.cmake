# add_cnn_model(NAME <name> MODEL <header> [VARIABLE <c++ name>]
#               [RECIPE <header> [RECIPE_VARIABLE <c++ name>]] [NO_TRAINER] [INFERENCE_ONLY])
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
# Outputs land under ${CMAKE_BINARY_DIR}/generated/<name>/.
function(add_cnn_model)
  cmake_parse_arguments(ARG "NO_TRAINER;INFERENCE_ONLY" "NAME;MODEL;VARIABLE;RECIPE;RECIPE_VARIABLE"
                        "" ${ARGN})
  set(pipelines inference train_step)
  set(CNN_TRAIN_STEP_INCLUDE "#include \"${ARG_NAME}_train_step.h\"")
  set(CNN_TRAIN_STEP_FUNCTION ${ARG_NAME}_train_step)
  if(ARG_INFERENCE_ONLY)
    set(pipelines inference)
    set(CNN_TRAIN_STEP_INCLUDE "")
    set(CNN_TRAIN_STEP_FUNCTION nullptr)
  endif()
  if(NOT ARG_VARIABLE)
    set(ARG_VARIABLE "cnn::examples::${ARG_NAME}")
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

  foreach(pipeline IN LISTS pipelines)
    add_halide_library(${ARG_NAME}_${pipeline} FROM ${ARG_NAME}.generator
                       GENERATOR cnn_${pipeline}
                       FUNCTION_NAME ${ARG_NAME}_${pipeline}
                       TARGETS ${CNN_CPU_TARGETS}
                       USE_RUNTIME ${CNN_HALIDE_RUNTIME})
    if(CNN_CUDA)
      add_halide_library(${ARG_NAME}_${pipeline}_cuda FROM ${ARG_NAME}.generator
                         GENERATOR cnn_${pipeline}
                         FUNCTION_NAME ${ARG_NAME}_${pipeline}_cuda
                         TARGETS host-cuda
                         USE_RUNTIME ${CNN_HALIDE_RUNTIME})
    endif()
  endforeach()

  add_library(${ARG_NAME}_kernels INTERFACE)
  target_include_directories(${ARG_NAME}_kernels INTERFACE ${out_dir} ${PROJECT_SOURCE_DIR})
  list(TRANSFORM pipelines PREPEND ${ARG_NAME}_ OUTPUT_VARIABLE libraries)
  target_link_libraries(${ARG_NAME}_kernels INTERFACE ${libraries} cnn_dsl)

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
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_NAME}_kernels cnn_runtime)
endfunction()
