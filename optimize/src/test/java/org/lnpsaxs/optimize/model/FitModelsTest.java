package org.lnpsaxs.optimize.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.formfactor.Sphere;

class FitModelsTest {

    @Test
    void theBuiltInModelsAreRegisteredByThisModule() {
        assertTrue(FitModels.names().containsAll(java.util.List.of("sphere", "core_shell_sphere")), FitModels.names().toString());
        assertEquals("core_shell_sphere", FitModels.byName(" Core_Shell_Sphere ").name());
        assertEquals("core radius", FitModels.byName("core_shell_sphere").sizeLabel());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FitModels.byName("cylinder"));
        assertTrue(e.getMessage().contains("cylinder") && e.getMessage().contains("sphere"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FitModels.byName("sphere", Path.of("weights.zip")));
        assertTrue(e.getMessage().contains("takes no model file"), e.getMessage());
    }

    @Test
    void aUserModelIsRegisteredAndFoundByName() {
        AnalyticFitModel mine = AnalyticFitModel.of(new Sphere(), Map.of("sld", 2.0, "sld_solvent", 6.0))
                .withName("registry_test_sphere");
        FitModels.register(FitModelProvider.of(mine, "a sphere with other SLDs"));
        assertTrue(FitModels.names().contains("registry_test_sphere"));
        assertSame(mine, FitModels.byName("REGISTRY_TEST_SPHERE"));
        assertEquals("a sphere with other SLDs", FitModels.provider("registry_test_sphere").description());
        assertThrows(IllegalArgumentException.class,
                () -> FitModels.register(FitModelProvider.of(mine.withName("two words"), "bad name")));
    }
}
