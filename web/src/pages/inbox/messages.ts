import { messages } from '../../i18n/messages';

export const inbox = messages(
  {
    title: 'Webhook inbox',
    intro: 'Every provider webhook is stored before it is acknowledged. Orphaned events matched no call; failed ones could not be applied.',
    filters: { status: 'Status', provider: 'Provider', apply: 'Show' },
    status: { pending: 'pending', delivered: 'delivered', orphaned: 'orphaned', failed: 'failed' },
    columns: { received: 'Received', provider: 'Provider', type: 'Event', call: 'Call', status: 'Status', reason: 'Reason', attempts: 'Attempts' },
    none: 'No events match.',
    show: 'Show payload',
    showLabel: 'Show payload of event {{id}}',
    payload: 'Payload of event {{id}}',
    key: 'Event key',
    delivered: 'Delivered',
    adminOnly: 'Only a tenant admin sees the webhook inbox.',
  },
  {
    title: 'Webhook gelen kutusu',
    intro: 'Her sağlayıcı webhook’u onaylanmadan önce saklanır. Sahipsiz olaylar hiçbir aramayla eşleşmedi; başarısız olanlar uygulanamadı.',
    filters: { status: 'Durum', provider: 'Sağlayıcı', apply: 'Göster' },
    status: { pending: 'bekliyor', delivered: 'iletildi', orphaned: 'sahipsiz', failed: 'başarısız' },
    columns: { received: 'Alınma', provider: 'Sağlayıcı', type: 'Olay', call: 'Arama', status: 'Durum', reason: 'Neden', attempts: 'Deneme' },
    none: 'Eşleşen olay yok.',
    show: 'İçeriği göster',
    showLabel: 'İçeriği göster: {{id}} numaralı olay',
    payload: '{{id}} numaralı olayın içeriği',
    key: 'Olay anahtarı',
    delivered: 'İletilme',
    adminOnly: 'Webhook gelen kutusunu yalnızca kiracı yöneticisi görür.',
  },
);
