"""SQLAlchemy models, one module per domain."""
from .accounts import (  # noqa: F401
    MANAGER_ROLES,
    ROLE_CODES,
    STAFF_ROLES,
    Department,
    DeviceToken,
    Role,
    User,
    UserDepartment,
    UserToken,
)
from .base import clinic_now, db  # noqa: F401
from .catalog import Menu, MenuCategory, MenuImage, Promotion  # noqa: F401
from .content import StaticContent  # noqa: F401
from .logs import Log  # noqa: F401
from .settings import DeliveryTier, Holiday  # noqa: F401
from .stores import Store, StoreMenu, StoreMenuStock  # noqa: F401
from .treatments import Service, ServiceCategory, ServiceImage  # noqa: F401
from .clinic import (APPOINTMENT_STATUSES, DAYS, Appointment, Doctor,  # noqa: F401
                     DoctorSchedule, DoctorService, PracticeWindow)
from .patients import MedicalRecord, MedicalRecordVersion, Patient, PatientAllergy  # noqa: F401
from .orders import (ORDER_STATUSES, ORDER_TYPES, Order, OrderCodeCounter,  # noqa: F401
                     OrderEvent, OrderExtra, OrderItem, PaymentNotification, PromotionUse,
                     Rating, UserPoint)
from .payments import StandinTransaction  # noqa: F401
from .notifications import (AppointmentReminder, Notification,  # noqa: F401
                            NotificationDelivery)
from .messages import CHANNELS, OutboxMessage, PasswordRecovery  # noqa: F401
from .threads import (MESSAGE_TYPES, THREAD_TYPES, Prescription, Thread,  # noqa: F401
                      ThreadMessage, ThreadRead)
from .reports import (ReportDayAppointments, ReportDayConsultations,  # noqa: F401
                      ReportDayOrders, ReportDayProducts, ReportLatch,
                      ReportMemberDays, ReportMonthAppointments, ReportMonthProducts)
