package org.lnpsaxs.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** canSAS 1D XML written here to exercise what the public files do not: units, several SASdata, errors, entities. */
class CanSasXmlTest {

    @TempDir
    Path dir;

    private static final String HEAD = "<?xml version=\"1.0\"?>\n<SASroot version=\"1.1\" xmlns=\"urn:cansas1d:1.1\">\n";

    private static String row(String q, String i, String extra) {
        return "  <Idata><Q unit=\"1/nm\">" + q + "</Q><I unit=\"1/cm\">" + i + "</I>" + extra + "</Idata>\n";
    }

    private static CurveFile read(String xml) throws IOException {
        return CurveReader.defaults().readAll(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "x.xml");
    }

    private static CurveFormatException refused(String xml) {
        return assertThrows(CurveFormatException.class, () -> read(xml));
    }

    @Test
    void unitsAndSeveralSasData() throws IOException {
        String xml = HEAD + "<SASentry name=\"lnp\">\n<Title>LNP batch 3</Title><Run>17</Run><Run>18</Run>\n"
                + "<SASdata name=\"saxs\">\n"
                + row("0.1", "10", "<Idev unit=\"1/cm\">1</Idev><Qdev unit=\"1/nm\">0.01</Qdev>")
                + row("0.2", "5", "<Idev unit=\"1/cm\">0.5</Idev><Qdev unit=\"1/nm\">0.02</Qdev>")
                + row("0.3", "2", "<Idev unit=\"1/cm\">0.2</Idev><Qdev unit=\"1/nm\">0.03</Qdev>")
                + "</SASdata>\n<SASdata>\n"
                + "  <Idata><Q unit=\"A^-1\">0.01</Q><I unit=\"1/cm\">7</I><dQl unit=\"1/nm\">1.17</dQl><dQw unit=\"1/A\">0.001</dQw></Idata>\n"
                + "  <Idata><Q unit=\"A^-1\">0.02</Q><I unit=\"1/cm\">6</I><dQl unit=\"1/nm\">1.17</dQl><dQw unit=\"1/A\">0.001</dQw></Idata>\n"
                + "  <Idata><Q unit=\"A^-1\">0.03</Q><I unit=\"1/cm\">5</I><dQl unit=\"1/nm\">1.17</dQl><dQw unit=\"1/A\">0.001</dQw></Idata>\n"
                + "</SASdata>\n<SASsample><ID>batch 3</ID><thickness unit=\"mm\">1.5</thickness></SASsample>\n"
                + "<SASinstrument><name>BL-1</name><SASsource><radiation>x-ray</radiation>"
                + "<wavelength unit=\"A\">1.54</wavelength></SASsource></SASinstrument>\n"
                + "<SASnote>\n  free text\n  on two lines\n</SASnote>\n"
                + "</SASentry>\n</SASroot>\n";
        CurveFile f = read(xml);
        assertEquals("1.1", f.version());
        assertEquals(2, f.size());
        CurveEntry a = f.entries().get(0);
        CurveEntry b = f.entries().get(1);
        assertEquals("lnp/saxs", a.name());
        assertEquals("lnp/SASdata 2", b.name());
        assertArrayEquals(new double[] {0.01, 0.02, 0.03}, a.curve().q(), 1e-18);
        assertArrayEquals(new double[] {0.001, 0.002, 0.003}, a.curve().dq(), 1e-18);
        assertEquals(QUnit.NANOMETER_INVERSE, a.qUnit());
        assertEquals("unit attribute", a.qUnitReason());
        assertEquals("LNP batch 3", a.metadata("title"));
        assertEquals("17; 18", a.metadata("run"));
        assertEquals("batch 3", a.metadata("sample"));
        assertEquals("1.5 mm", a.metadata("sample thickness"));
        assertEquals("BL-1", a.metadata("instrument"));
        assertEquals("x-ray", a.metadata("radiation"));
        assertEquals("1.54 A", a.metadata("wavelength"));
        assertEquals("free text on two lines", a.metadata("note"));
        assertEquals("saxs", a.metadata("SASdata"));
        assertEquals("x.xml#1", a.curve().source());
        assertFalse(b.curve().hasDq());
        assertArrayEquals(new double[] {0.117, 0.117, 0.117}, b.curve().slitLength(), 1e-16);
        assertArrayEquals(new double[] {0.001, 0.001, 0.001}, b.curve().slitWidth());
        assertNull(b.curve().sigma());
    }

    @Test
    void aRowWithoutAQuantityTheOthersHaveIsRefused() {
        CurveFormatException e = refused(HEAD + "<SASentry><SASdata>\n"
                + row("0.1", "10", "<Idev unit=\"1/cm\">1</Idev>")
                + row("0.2", "5", "")
                + row("0.3", "2", "<Idev unit=\"1/cm\">0.2</Idev>")
                + "</SASdata></SASentry></SASroot>");
        assertEquals(5, e.getLine());
        assertTrue(e.getMessage().contains("Idev is missing here, but the rows before have it"), e.getMessage());
    }

    @Test
    void badValuesNameTheirLine() {
        String start = HEAD + "<SASentry><SASdata>\n" + row("0.1", "10", "");
        String end = row("0.3", "2", "") + "</SASdata></SASentry></SASroot>";
        CurveFormatException nan = refused(start + row("0.2", "NaN", "") + end);
        assertEquals(5, nan.getLine());
        assertTrue(nan.getMessage().contains("I = NaN is not a finite number"), nan.getMessage());
        CurveFormatException word = refused(start + row("zero", "5", "") + end);
        assertTrue(word.getMessage().contains("Q = 'zero' is not a number"), word.getMessage());
        CurveFormatException negative = refused(start + row("-0.2", "5", "") + end);
        assertTrue(negative.getMessage().contains("Q = -0.2 is negative"), negative.getMessage());
        CurveFormatException unit = refused(start + "  <Idata><Q unit=\"1/m\">2e8</Q><I>5</I></Idata>\n" + end);
        assertTrue(unit.getMessage().contains("Q has unit '1/m'"), unit.getMessage());
        CurveFormatException noQ = refused(start + "  <Idata><I unit=\"1/cm\">5</I></Idata>\n" + end);
        assertTrue(noQ.getMessage().contains("without <Q>"), noQ.getMessage());
        CurveFormatException iUnit = refused(start + "  <Idata><Q unit=\"1/nm\">0.2</Q><I unit=\"1/m\">5</I></Idata>\n" + end);
        assertTrue(iUnit.getMessage().contains("I is in '1/m' here but in '1/cm'"), iUnit.getMessage());
    }

    @Test
    void aMissingUnitIsAnsweredWithAngstromAndANote() throws IOException {
        CurveEntry e = read(HEAD + "<SASentry><SASdata>\n<Idata><Q>0.1</Q><I>3</I></Idata>\n<Idata><Q>0.2</Q><I>2</I></Idata>"
                + "\n<Idata><Q>0.3</Q><I>1</I></Idata>\n</SASdata></SASentry></SASroot>").entries().get(0);
        assertEquals(0.2, e.curve().q(1));
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("no unit attribute")), e.notes().toString());
        assertNull(e.intensityUnit());
    }

    @Test
    void notCanSas() {
        CurveFormatException html = refused("<?xml version=\"1.0\"?>\n<html><body>q I</body></html>");
        assertTrue(html.getMessage().contains("root element is <html>, not canSAS 1D XML"), html.getMessage());
        CurveFormatException broken = refused(HEAD + "<SASentry><SASdata><Idata><Q>0.1</Q>");
        assertTrue(broken.getMessage().contains("not well-formed XML"), broken.getMessage());
        CurveFormatException twoD = refused(HEAD + "<SASentry><SASdata><Idata><Qx>0.1</Qx><Qy>0.1</Qy><I>1</I></Idata>"
                + "</SASdata></SASentry></SASroot>");
        assertTrue(twoD.getMessage().contains("2D data"), twoD.getMessage());
        CurveFormatException empty = refused(HEAD + "<SASentry><Title>t</Title><SASdata/></SASentry></SASroot>");
        assertTrue(empty.getMessage().contains("without data rows"), empty.getMessage());
        CurveFormatException none = refused(HEAD + "</SASroot>");
        assertTrue(none.getMessage().contains("without a <SASentry>"), none.getMessage());
    }

    @Test
    void externalEntitiesAreNeverResolved() throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE SASroot [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<SASroot version=\"1.1\"><SASentry><Title>&xxe;</Title><SASdata>\n"
                + row("0.1", "3", "") + row("0.2", "2", "") + row("0.3", "1", "")
                + "</SASdata></SASentry></SASroot>";
        Path file = dir.resolve("xxe.xml");
        Files.writeString(file, xxe);
        try {
            CurveEntry e = CurveReader.defaults().readEntry(file);
            String title = e.metadata("title");
            assertTrue(title == null || !title.contains("TOP-SECRET"), "the entity was resolved: " + title);
        } catch (CurveFormatException e) {
            assertFalse(e.getMessage().contains("TOP-SECRET"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        String laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE SASroot [<!ENTITY a \"aaaaaaaaaa\">"
                + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n"
                + "<SASroot><SASentry><Title>&c;</Title></SASentry></SASroot>";
        assertThrows(CurveFormatException.class, () -> read(laughs));
        String remoteDtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE SASroot SYSTEM \"http://invalid.example/cansas.dtd\">\n"
                + "<SASroot version=\"1.0\"><SASentry><SASdata>\n" + row("0.1", "3", "") + row("0.2", "2", "")
                + row("0.3", "1", "") + "</SASdata></SASentry></SASroot>";
        assertEquals(3, read(remoteDtd).entries().get(0).curve().size(), "the DTD is ignored, never fetched");
    }

    @Test
    void fromAReaderToo() throws IOException {
        String xml = HEAD + "<SASentry><SASdata>\n" + row("0.1", "3", "") + row("0.2", "2", "") + row("0.3", "1", "")
                + "</SASdata></SASentry></SASroot>";
        assertEquals(read(xml).entries().get(0).curve(), CurveReader.defaults().read(new StringReader(xml), "x.xml"));
    }
}
