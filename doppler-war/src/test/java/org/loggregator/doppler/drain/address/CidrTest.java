package org.loggregator.doppler.drain.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class CidrTest {

  static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal.indexOf(':') >= 0 ? "[" + literal + "]" : literal);
  }

  private static String refusal(String text) {
    return assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text)).getMessage();
  }

  @Test
  void shouldContainExactlyTheAddressesOfItsPrefixWhenIpv4() throws Exception {
    Cidr cidr = Cidr.parse("172.16.0.0/12");

    assertTrue(cidr.contains(ip("172.16.0.0")));
    assertTrue(cidr.contains(ip("172.31.255.255")));
    assertFalse(cidr.contains(ip("172.32.0.0")));
    assertFalse(cidr.contains(ip("172.15.255.255")));
    assertTrue(cidr.isIpv4());
    assertEquals("172.16.0.0/12", cidr.toString());
  }

  @Test
  void shouldContainExactlyTheAddressesOfItsPrefixWhenIpv6() throws Exception {
    Cidr cidr = Cidr.parse("FC00::/7");

    assertTrue(cidr.contains(ip("fc00::1")));
    assertTrue(cidr.contains(ip("fdff:ffff::1")));
    assertFalse(cidr.contains(ip("fe00::1")));
    assertFalse(cidr.contains(ip("10.0.0.1")), "another family is never contained");
    assertEquals("fc00::/7", cidr.toString());
  }

  @Test
  void shouldTakeABareAddressAsABlockOfOneWhenItHasNoPrefix() throws Exception {
    assertEquals(Cidr.parse("192.0.2.7/32"), Cidr.parse("192.0.2.7"));
    assertEquals("::1/128", Cidr.parse("::1").toString());
    assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9")));
  }

  @Test
  void shouldRefuseWithOneSentenceWhenTheTextIsNotACidr() {
    assertEquals(
        "\"10.0.0.0/33\" has an invalid prefix length: use 0 to 32.", refusal("10.0.0.0/33"));
    assertEquals("\"10.1.0.0/8\" has bits set after its prefix length 8.", refusal("10.1.0.0/8"));
    assertEquals(
        "\"logs.example.com/8\" is not an IPv4 or IPv6 address.", refusal("logs.example.com/8"));
    assertTrue(refusal("10.0.0/8").contains("not an IPv4 or IPv6 address"));
    assertTrue(refusal("010.0.0.0/8").contains("not an IPv4 or IPv6 address"));
    assertTrue(refusal("256.0.0.0/8").contains("not an IPv4 or IPv6 address"));
    assertTrue(refusal("fe80::1%eth0/128").contains("not an IPv4 or IPv6 address"));
    assertTrue(refusal("fc00::/129").contains("use 0 to 128"));
    assertTrue(refusal("10.0.0.0/").contains("invalid prefix length"));
    assertTrue(refusal("").contains("not an IPv4 or IPv6 address"));
  }

  @Test
  void shouldRefuseEveryOtherSpellingOfAnAddressWhenParsing() {
    for (String text :
        new String[] {
          "127.1/8",
          "0x7f.0.0.1/32",
          "0177.0.0.1/32",
          "2130706433/32",
          "127.0.0.1./32",
          "localhost/32",
          "[::1]/128",
          "::ffff:127.0.0.1%eth0/128",
          "10.0.0.0/-1",
          "10.0.0.0/1000",
          "10.0.0.0/8/8",
          "10.0.0.0 /8",
          "1".repeat(10_000) + "/8"
        }) {
      assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text), text);
    }
  }

  @Test
  void shouldContainTheIpv4AddressesItMapsWhenWrittenInTheMappedForm() throws Exception {
    Cidr mapped = Cidr.parse("::ffff:10.0.0.0/104");

    assertTrue(mapped.contains(ip("10.1.2.3")), "the JDK resolves ::ffff:10.1.2.3 to 10.1.2.3");
    assertFalse(mapped.contains(ip("11.1.2.3")));
    assertTrue(Cidr.parse("::ffff:203.0.113.7").contains(ip("203.0.113.7")));
    assertTrue(Cidr.parse("::ffff:0:0/96").contains(ip("198.51.100.1")), "every IPv4 address");
    assertFalse(Cidr.parse("::/0").contains(ip("10.1.2.3")), "all of IPv6 is not IPv4");
    assertFalse(Cidr.parse("::/96").contains(ip("10.1.2.3")), "nor is the compatible form");
    assertFalse(
        Cidr.parse("::fffe:0:0/95").contains(ip("10.1.2.3")), "wider than the mapped block");
  }

  @Test
  void shouldKeepTheMappedFormAsIpv6WhenWrittenSo() throws Exception {
    Cidr mapped = Cidr.parse("::ffff:10.0.0.0/104");

    assertFalse(mapped.isIpv4());
    assertTrue(mapped.contains(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 10, 1, 2, 3}));
  }
}
