"""All tables of EBS Desktop, one module per area; import from here."""

from ebs_desktop.persistence.models.bank import BankLine, BankStatement
from ebs_desktop.persistence.models.base import Base
from ebs_desktop.persistence.models.billing import (
    Bill,
    BillingException,
    BillingRun,
    BillLine,
    CreditNote,
)
from ebs_desktop.persistence.models.collections import (
    ArrangementInstalment,
    CollectionHold,
    DunningEvent,
    FieldOrder,
    PaymentArrangement,
)
from ebs_desktop.persistence.models.counter import (
    Counter,
    Payment,
    PaymentAllocation,
    PaymentReversal,
    PaymentTender,
    Printer,
    PrintJob,
    Receipt,
    SafeDrop,
    Shift,
    ShiftCount,
    ZReport,
)
from ebs_desktop.persistence.models.ledger import Journal, LedgerEntry
from ebs_desktop.persistence.models.network import Meter, MeterInstallation, MeterRegister, Premise
from ebs_desktop.persistence.models.online import AutopayMandate, GatewayEvent, GatewayPayment
from ebs_desktop.persistence.models.people import (
    Account,
    AccountNote,
    BillingCycle,
    Customer,
    CustomerWord,
    Route,
    User,
    UserRole,
)
from ebs_desktop.persistence.models.readings import Reading, ReadingBatch
from ebs_desktop.persistence.models.support import (
    ServiceRequest,
    ServiceRequestMessage,
    ServiceRequestPhoto,
)
from ebs_desktop.persistence.models.system import (
    AccountPreferences,
    AuditEntry,
    AuditHead,
    BackupRecord,
    NotificationTemplate,
    NumberSeries,
    OutboxMessage,
    Setting,
)
from ebs_desktop.persistence.models.tariffs import Tariff, TariffVersion

__all__ = [
    "Account",
    "AccountNote",
    "AccountPreferences",
    "ArrangementInstalment",
    "AuditEntry",
    "AuditHead",
    "AutopayMandate",
    "BackupRecord",
    "BankLine",
    "BankStatement",
    "Base",
    "Bill",
    "BillLine",
    "BillingCycle",
    "BillingException",
    "BillingRun",
    "CollectionHold",
    "Counter",
    "CreditNote",
    "Customer",
    "CustomerWord",
    "DunningEvent",
    "FieldOrder",
    "GatewayEvent",
    "GatewayPayment",
    "Journal",
    "LedgerEntry",
    "Meter",
    "MeterInstallation",
    "MeterRegister",
    "NotificationTemplate",
    "NumberSeries",
    "OutboxMessage",
    "Payment",
    "PaymentAllocation",
    "PaymentArrangement",
    "PaymentReversal",
    "PaymentTender",
    "Premise",
    "PrintJob",
    "Printer",
    "Reading",
    "ReadingBatch",
    "Receipt",
    "Route",
    "SafeDrop",
    "ServiceRequest",
    "ServiceRequestMessage",
    "ServiceRequestPhoto",
    "Setting",
    "Shift",
    "ShiftCount",
    "Tariff",
    "TariffVersion",
    "User",
    "UserRole",
    "ZReport",
]
