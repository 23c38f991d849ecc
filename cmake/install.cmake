# `cmake --install`: the embeddable runtime — public headers, the static libraries and kactorConfig.cmake
# (find_package(kactor) → kactor::kactor; COMPONENTS sim → kactor::sim, the in-process simulated cluster) —
# plus the kactor binary.
include(GNUInstallDirs)
set(KACTOR_INSTALLED_LIBS kactor_embed kactor_operator kactor_actors kactor_alertmanager kactor_cruisecontrol kactor_kube
    kactor_kafka kactor_http kactor_model)
# The simulated cluster, a component of its own (kactor::sim): an embedder that runs against a real API
# server links none of it.
set(KACTOR_SIM_LIBS kactor_embed_sim kactor_sim_world)
install(TARGETS ${KACTOR_INSTALLED_LIBS} ${KACTOR_SIM_LIBS} ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS kactor RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/kactor DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
string(REPLACE ";" " " KACTOR_INSTALLED_LIBS "${KACTOR_INSTALLED_LIBS}")
string(REPLACE ";" " " KACTOR_SIM_LIBS "${KACTOR_SIM_LIBS}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/kactorConfig.cmake.in ${PROJECT_BINARY_DIR}/kactorConfig.cmake @ONLY)
include(CMakePackageConfigHelpers)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/kactorConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/kactorConfig.cmake ${PROJECT_BINARY_DIR}/kactorConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kactor)
