package io.mapaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class ProductCatalogTest {

  @Test
  void lookup_flashSaleOverZipf_product1TakesAboutAThirdAndMoreThanAnyOther() {
    ProductCatalog catalog = new ProductCatalog();
    ProductCatalog.ZipfSampler zipf = new ProductCatalog.ZipfSampler(ProductCatalog.PRODUCTS, 7);
    int[] hits = new int[ProductCatalog.PRODUCTS + 1];
    for (int i = 0; i < 50_000; i++) {
      int rank = zipf.nextRank();
      hits[rank]++;
      assertThat(catalog.lookup(ProductCatalog.productId(rank))).isNotNull();
    }

    for (int rank = 2; rank <= ProductCatalog.PRODUCTS; rank++) {
      assertThat(hits[1]).isGreaterThan(hits[rank]);
    }
    // 0.25 (flash sale) + 0.75 / H(10 000) = 0.25 + 0.75 * 0.102 = 0.327
    assertThat(catalog.hottestShare()).isBetween(0.31, 0.345);
    assertThat(catalog.lookupCount()).isEqualTo(50_000);
  }

  @Test
  void zipfSampler_sameSeed_drawsSameSequence() {
    ProductCatalog.ZipfSampler a = new ProductCatalog.ZipfSampler(ProductCatalog.PRODUCTS, 42);
    ProductCatalog.ZipfSampler b = new ProductCatalog.ZipfSampler(ProductCatalog.PRODUCTS, 42);
    for (int i = 0; i < 1_000; i++) {
      assertThat(a.nextRank()).isEqualTo(b.nextRank()).isBetween(1, ProductCatalog.PRODUCTS);
    }
  }

  @Test
  void lookup_unknownId_returnsNull() {
    assertThat(new ProductCatalog().lookup("product-0")).isNull();
  }
}
