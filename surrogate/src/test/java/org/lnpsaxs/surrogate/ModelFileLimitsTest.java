package org.lnpsaxs.surrogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lnpsaxs.core.data.QGrid;

/** Model archives are inflated within limits, counted while streaming; files are written atomically. */
class ModelFileLimitsTest {

    @TempDir
    Path tmp;

    private static byte[] zip(String[] names, int mib) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20];
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : names) {
                zip.putNextEntry(new ZipEntry(name)); // deflated: the local header does not hold the size
                for (int k = 0; k < mib; k++) {
                    zip.write(zeros);
                }
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void anOversizedEntryIsRefusedWhileInflatingNotAfter() throws IOException {
        byte[] bomb = zip(new String[] {ModelFile.METADATA, ModelFile.NETWORK}, 24);
        InputStream in = new ByteArrayInputStream(bomb);
        IOException e = assertThrows(IOException.class, () -> ModelFile.read(in, "bomb.zip"));
        // the archive's compressed bytes are bounded by ModelArchive.MAX_FILE; inflating stops at the entry's limit
        assertTrue(e.getMessage().contains("bomb.zip") && e.getMessage().contains(ModelFile.METADATA)
                && e.getMessage().contains("larger than " + (ModelArchive.MAX_TEXT >> 20) + " MB"), e.getMessage());
    }

    @Test
    void unknownOrRepeatedEntriesAreRefusedBeforeTheyAreInflated() throws IOException {
        byte[] many = zip(new String[] {"a.bin", "b.bin"}, 4);
        InputStream in = new ByteArrayInputStream(many);
        IOException e = assertThrows(IOException.class, () -> ModelFile.read(in, "many.zip"));
        assertTrue(e.getMessage().contains("unexpected entry 'a.bin'"), e.getMessage());

        // ZipOutputStream refuses duplicate names: write another name of the same length, then rename it
        byte[] twice = zip(new String[] {ModelFile.METADATA, "metadata.jsoN"}, 0);
        String text = new String(twice, java.nio.charset.StandardCharsets.ISO_8859_1).replace("metadata.jsoN",
                ModelFile.METADATA);
        twice = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        InputStream dup = new ByteArrayInputStream(twice);
        IOException t = assertThrows(IOException.class, () -> ModelFile.read(dup, "t.zip"));
        assertTrue(t.getMessage().contains("appears twice"), t.getMessage());
    }

    @Test
    void aStoredEntryOverTheLimitIsRefused() throws IOException {
        // a stored (not deflated) entry over the limit is refused too
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] data = new byte[(int) ModelArchive.MAX_TEXT + 1];
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry e = new ZipEntry(ModelFile.METADATA);
            e.setMethod(ZipEntry.STORED);
            e.setSize(data.length);
            CRC32 crc = new CRC32();
            crc.update(data);
            e.setCrc(crc.getValue());
            zip.putNextEntry(e);
            zip.write(data);
            zip.closeEntry();
        }
        InputStream in = new ByteArrayInputStream(out.toByteArray());
        IOException e = assertThrows(IOException.class, () -> ModelFile.read(in, "stored.zip"));
        assertTrue(e.getMessage().contains("larger than " + (ModelArchive.MAX_TEXT >> 20) + " MB"), e.getMessage());
    }

    @Test
    void writingRefusesASymbolicLinkAndKeepsTheOldFile() throws IOException {
        ModelFile.Contents model = TestModels.random(QGrid.linear(0.002, 0.2, 30), 3);
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "precious");
        Path link = Files.createSymbolicLink(tmp.resolve("model.zip"), victim);
        IOException e = assertThrows(IOException.class, () -> ModelFile.write(link, model.metadata(), model.weights()));
        assertTrue(e.getMessage().contains("model.zip") && e.getMessage().contains("symbolic link"), e.getMessage());
        assertEquals("precious", Files.readString(victim));

        Path file = tmp.resolve("sub/dir/good.zip");
        ModelFile.write(file, model.metadata(), model.weights());
        assertEquals(model.metadata().q().length, ModelFile.read(file).metadata().q().length);
        try (var s = Files.list(file.getParent())) {
            assertEquals(1, s.count(), "no temporary file left");
        }
    }
}
