package org.lnpsaxs.surrogate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.optimize.loss.ModelError;

class ErrorModelTest {

    private static final QGrid GRID = QGrid.linear(0.002, 0.2, 30);
    private static final ModelFile.Contents MODEL = TestModels.random(GRID, 8);
    private static final ErrorModel ERROR = new ErrorModel("test surrogate against its simulator", 0.002, 0.015, 0.5,
            0.0033, Map.of("date", "2026-12-04", "datasets", Map.of("test-hq.lnpd.gz", "ab12"),
                    "measured", Map.of("rms", List.of(0.01, 0.02))));

    @TempDir
    Path tmp;

    @Test
    void sigmaFormAndModelErrorOnAGrid() {
        // sigma0 + sigma1 (q/0.1)^p, by hand
        assertEquals(0.002 + 0.015 * Math.sqrt(0.5), ERROR.sigma(0.05), 1e-15);
        assertEquals(0.017, ERROR.sigma(0.1), 1e-15);
        ModelError e = ERROR.modelError(GRID.values(), List.of("x"));
        assertNull(e.amplitude(), "no contrast law: a size that does not depend on the parameters");
        assertArrayEquals(GRID.values(), e.q(), 0);
        assertEquals(ERROR.sigma(GRID.values()[7]), e.sigma()[7], 0);
        assertEquals(0.0033, e.correlationLength(), 0);
        assertTrue(e.description().contains("2026-12-04"), e.description());
        assertThrows(IllegalArgumentException.class, () -> new ErrorModel("x", -1, 0, 0, 0, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new ErrorModel(" ", 0, 0, 0, 0, Map.of()));
    }

    @Test
    void theContrastLawByHandAndItsGradientByFiniteDifferences() throws IOException {
        ErrorModel law = new ErrorModel("law", 0.002, 0.015, 0.5, 0.0033, 0.65, 0.01, Map.of("date", "2026-12-04"));
        assertTrue(law.dependsOnContrast());
        // g = -0.2, rho = 1.1: shell contrast 1.1 * 0.8 - 1 = -0.12, c^2 = 0.04 + 0.0144 + 0.0001
        double c2 = 0.04 + 0.0144 + 0.0001;
        assertEquals(Math.pow(Math.sqrt(c2) / 0.1, -0.65), law.amplitude(-0.2, 1.1), 1e-12);
        // the mirror image (contrast sign) has the same amplitude: (g, rho) -> (-g, (2 - rho (1 + g)) / (1 - g))
        assertEquals(law.amplitude(-0.2, 1.1), law.amplitude(0.2, (2 - 1.1 * 0.8) / 1.2), 1e-12);
        List<String> names = List.of("radius", "relative_rho_shell", "w", "GRF_shift");
        ModelError e = law.modelError(GRID.values(), names);
        double[] theta = {200, 1.1, 0.4, -0.2};
        double[] g = new double[4];
        assertEquals(law.amplitude(-0.2, 1.1), e.amplitude().at(theta, 0, 4, g, 0), 1e-12);
        for (int j = 0; j < 4; j++) {
            double h = 1e-6;
            double[] up = theta.clone();
            double[] dn = theta.clone();
            up[j] += h;
            dn[j] -= h;
            double fd = (e.amplitude().at(up, 0, 4, null, 0) - e.amplitude().at(dn, 0, 4, null, 0)) / (2 * h);
            assertEquals(fd, g[j], 1e-6 * Math.max(1, Math.abs(fd)), "d a / d theta" + j);
        }
        assertEquals(0, g[0], 0);
        assertEquals(0, g[2], 0);
        // it needs the two contrast parameters, a floor, and survives the model file
        assertThrows(IllegalArgumentException.class, () -> law.modelError(GRID.values(), List.of("radius")));
        assertThrows(IllegalArgumentException.class, () -> new ErrorModel("x", 0, 0.01, 0, 0, 0.5, 0, Map.of()));
        assertEquals(law, ErrorModel.fromJson(law.toJson(), "x"));
        Path file = tmp.resolve("law.zip");
        ModelFile.write(file, MODEL.metadata(), MODEL.weights(), law);
        assertEquals(law, Surrogate.load(file).errorModel().orElseThrow());
        assertTrue(new String(law.toJson(), StandardCharsets.UTF_8).contains("\"formatVersion\" : 2")
                || new String(law.toJson(), StandardCharsets.UTF_8).contains("\"formatVersion\":2"));
        // a version 1 entry (no law) still reads
        assertEquals(ERROR, ErrorModel.fromJson(ERROR.toJson(), "x"));
        assertFalse(ERROR.dependsOnContrast());
    }

    @Test
    void theSizeEstimateLawBindsToTheSizeParametersAndSurvivesTheModelFile() throws IOException {
        ErrorModel law = new ErrorModel("law", 0.002, 0.015, 0.5, 0.0033, 0.65, 0.01, Map.of("date", "2026-12-04"))
                .withSizeEstimates(0.15, 3, Map.of("date", "2026-12-08", "method", "reweighted posteriors"));
        assertTrue(law.hasSizeEstimates());
        List<String> names = List.of("GRF_shift", "radius_mean", "radius_cv", "relative_rho_shell");
        ModelError e = law.modelError(GRID.values(), names);
        assertEquals(new org.lnpsaxs.optimize.loss.SizeEstimateTerm(1, 2, 0.15, 3), e.sizeEstimates());
        // radius_cv 0.3: (0.3 / 0.15)^-3 = 1/8, by hand
        assertEquals(0.125, e.sizeEstimates().factor(new double[] {0.1, 250, 0.3, 1.0}), 1e-15);
        assertTrue(e.amplitude() != null, "the contrast law is kept beside it");
        // a model without a size distribution has no size estimates: no term, no error
        assertNull(law.modelError(GRID.values(), List.of("GRF_shift", "R", "relative_rho_shell")).sizeEstimates());
        String json = new String(law.toJson(), StandardCharsets.UTF_8);
        assertTrue(json.matches("(?s).*\"formatVersion\" ?: ?3.*"), json);
        assertTrue(json.contains("size_estimates"), json);
        assertEquals(law, ErrorModel.fromJson(law.toJson(), "x"));
        assertFalse(law.equals(law.withSizeEstimates(0.15, 2, law.provenance())));
        Path file = tmp.resolve("size-law.zip");
        ModelFile.write(file, MODEL.metadata(), MODEL.weights(), law);
        assertEquals(law, Surrogate.load(file).errorModel().orElseThrow());
        // without the law: the version the contrast law alone writes, and no term
        ErrorModel none = law.withSizeEstimates(0.15, 0, law.provenance());
        assertFalse(none.hasSizeEstimates());
        assertNull(none.modelError(GRID.values(), names).sizeEstimates());
        assertTrue(new String(none.toJson(), StandardCharsets.UTF_8).matches("(?s).*\"formatVersion\" ?: ?2.*"));
        assertThrows(IllegalArgumentException.class, () -> law.withSizeEstimates(0, 3, Map.of()));
    }

    @Test
    void roundTripThroughTheModelFile() throws IOException {
        Path file = tmp.resolve("model.zip");
        ModelFile.write(file, MODEL.metadata(), MODEL.weights(), ERROR);
        ModelFile.Contents back = ModelFile.read(file);
        assertEquals(ERROR, back.errorModel());
        assertEquals(ERROR.provenance().get("measured"), back.errorModel().provenance().get("measured"));
        Surrogate s = Surrogate.load(file);
        assertEquals(ERROR, s.errorModel().orElseThrow());
        assertEquals(ERROR, ErrorModel.fromJson(ERROR.toJson(), "x"));
    }

    @Test
    void filesWithoutAnErrorModelStillLoad() throws IOException {
        Path file = tmp.resolve("old.zip");
        ModelFile.write(file, MODEL.metadata(), MODEL.weights());
        assertNull(ModelFile.read(file).errorModel());
        assertTrue(Surrogate.load(file).errorModel().isEmpty());
        assertTrue(Surrogate.of(MODEL).errorModel().isEmpty());
    }

    @Test
    void addingTheErrorModelCopiesEveryOtherEntryAndKeepsPredictions() throws IOException {
        Path old = tmp.resolve("old.zip");
        ModelFile.write(old, MODEL.metadata(), MODEL.weights());
        Path with = tmp.resolve("with.zip");
        ModelFile.withErrorModel(old, with, ERROR);
        Map<String, byte[]> a = entries(Files.readAllBytes(old));
        Map<String, byte[]> b = entries(Files.readAllBytes(with));
        assertEquals(a.keySet().size() + 1, b.keySet().size());
        for (String name : a.keySet()) {
            if (!name.equals(ModelFile.CHECKSUMS)) {
                assertArrayEquals(a.get(name), b.get(name), name);
            }
        }
        assertTrue(new String(b.get(ModelFile.CHECKSUMS), StandardCharsets.UTF_8).contains("  " + ModelFile.ERROR_MODEL
                + "\n"));
        double[] theta = TestModels.randomTheta(5, 4);
        double[] x = new double[5 * GRID.size()];
        double[] y = new double[5 * GRID.size()];
        Surrogate.load(old).evaluate(theta, 5, x);
        Surrogate.load(with).evaluate(theta, 5, y);
        assertArrayEquals(x, y, 0);
        // in place, replacing it; then removing it gives the original bytes back
        ErrorModel other = new ErrorModel("other", 0, 0.01, 1, 0.001, Map.of());
        ModelFile.withErrorModel(with, with, other);
        assertEquals(other, ModelFile.read(with).errorModel());
        ModelFile.withErrorModel(with, with, null);
        assertArrayEquals(Files.readAllBytes(old), Files.readAllBytes(with));
    }

    @Test
    void theChecksumCoversTheErrorModel() throws IOException {
        Path file = tmp.resolve("model.zip");
        ModelFile.write(file, MODEL.metadata(), MODEL.weights(), ERROR);
        Map<String, byte[]> e = entries(Files.readAllBytes(file));
        // an edited error model (a smaller sigma) with the old checksum list is refused
        String json = new String(e.get(ModelFile.ERROR_MODEL), StandardCharsets.UTF_8).replace("0.015", "0.0015");
        e.put(ModelFile.ERROR_MODEL, json.getBytes(StandardCharsets.UTF_8));
        Path edited = tmp.resolve("edited.zip");
        Files.write(edited, zip(e));
        IOException ex = assertThrows(IOException.class, () -> Surrogate.load(edited));
        assertTrue(ex.getMessage().contains(ModelFile.ERROR_MODEL) && ex.getMessage().contains("edited.zip"),
                ex.getMessage());
        // an error model the checksum list does not name is refused
        Map<String, byte[]> f = entries(Files.readAllBytes(file));
        String sums = new String(f.get(ModelFile.CHECKSUMS), StandardCharsets.UTF_8);
        f.put(ModelFile.CHECKSUMS, sums.replaceAll("[0-9a-f]{64}  " + ModelFile.ERROR_MODEL.replace(".", "\\.") + "\n", "")
                .getBytes(StandardCharsets.UTF_8));
        Path unlisted = tmp.resolve("unlisted.zip");
        Files.write(unlisted, zip(f));
        IOException ex2 = assertThrows(IOException.class, () -> ModelFile.read(unlisted));
        assertTrue(ex2.getMessage().contains("not covered"), ex2.getMessage());
    }

    @Test
    void anErrorModelOfAnotherFormatIsRefusedWithTheReason() {
        IOException e = assertThrows(IOException.class, () -> ErrorModel.fromJson(
                "{\"format\":\"lnpsaxs-error-model\",\"formatVersion\":9}".getBytes(StandardCharsets.UTF_8), "f.zip"));
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
        IOException k = assertThrows(IOException.class, () -> ErrorModel.fromJson(new String(ERROR.toJson(),
                StandardCharsets.UTF_8).replace("matern-3/2", "gauss").getBytes(StandardCharsets.UTF_8), "f.zip"));
        assertTrue(k.getMessage().contains("gauss"), k.getMessage());
    }

    @Test
    void theShippedDefaultModelCarriesItsErrorModelWithProvenance() {
        ErrorModel e = Surrogate.loadDefault().errorModel().orElseThrow();
        assertTrue(e.sigma(0.1) > 0.005 && e.sigma(0.1) < 0.1, e.toString());
        assertTrue(e.correlationLength() > 0, e.toString());
        Map<String, Object> p = e.provenance();
        for (String key : List.of("date", "program", "method", "datasets", "measured")) {
            assertTrue(p.containsKey(key), "provenance has " + key + ": " + p.keySet());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> sets = (Map<String, Object>) p.get("datasets");
        assertTrue(sets.containsKey("test-hq.lnpd.gz") && sets.containsKey("test-std.lnpd.gz"), sets.toString());
        assertFalse(e.scope().isBlank());
    }

    static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                m.put(e.getName(), in.readAllBytes());
            }
        }
        return m;
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
