package io.mapaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mapaudit.demo.SettlementService.Outcome;
import org.junit.jupiter.api.Test;

final class SettlementServiceTest {

  @Test
  void settle_fundLaunchedTodayInBuggyMode_skipsAsZeroBalance() {
    SettlementService service = new SettlementService(false);

    assertThat(service.settle(SettlementService.newFund(1), 100.0)).isEqualTo(Outcome.SKIPPED);
    assertThat(service.settle(SettlementService.listedFund(1), 100.0)).isEqualTo(Outcome.SETTLED);
    assertThat(service.skippedCount()).isEqualTo(1);
    assertThat(service.settledCount()).isEqualTo(1);
  }

  @Test
  void settle_mixedLoadInBuggyMode_skipsEveryNewFundSettlementAndNoOther() {
    SettlementService service = new SettlementService(false);
    int newFundSettlements = 0;
    for (int i = 0; i < 1_000; i++) {
      boolean newFund = i % 7 == 0;
      String product = newFund
          ? SettlementService.newFund(1 + i % SettlementService.NEW_FUNDS)
          : SettlementService.listedFund(1 + i % SettlementService.LISTED_FUNDS);
      service.settle(product, 100.0);
      newFundSettlements += newFund ? 1 : 0;
    }

    assertThat(service.skippedCount()).isEqualTo(newFundSettlements);
  }

  @Test
  void settle_fundLaunchedTodayInFixedMode_loadsBalanceAndSettles() {
    SettlementService service = new SettlementService(true);

    assertThat(service.settle(SettlementService.newFund(1), 100.0)).isEqualTo(Outcome.SETTLED);
    assertThat(service.settle(SettlementService.newFund(1), 100.0)).isEqualTo(Outcome.SETTLED);
    assertThat(service.skippedCount()).isZero();
    assertThat(service.settledCount()).isEqualTo(2);
  }

  @Test
  void settle_productUnknownToLedgerInFixedMode_throwsClearError() {
    SettlementService service = new SettlementService(true);

    assertThatThrownBy(() -> service.settle("fund-nope", 100.0))
        .isInstanceOf(SettlementService.UnknownProductException.class)
        .hasMessageContaining("fund-nope");
    assertThat(service.skippedCount()).isZero();
  }
}
