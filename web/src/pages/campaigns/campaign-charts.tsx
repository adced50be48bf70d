import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CampaignStats } from '../../client/types';
import { formatClock } from '../../ui/format';

/** Calls started and ended per bucket (bars: a campaign of one minute is one bucket), and the outcomes so far. */
export function CampaignCharts({ stats }: { stats: CampaignStats }) {
  const { t } = useTranslation('campaigns');
  const overTime = stats.callsOverTime.map((bucket) => ({ ...bucket, time: formatClock(bucket.at) }));
  const outcomes = Object.entries(stats.counts.byOutcome).map(([outcome, count]) => ({
    outcome: t(`common:outcome.${outcome}`, { defaultValue: outcome }),
    count,
  }));
  return (
    <div className="grid-2">
      <figure className="card chart">
        <figcaption>{t('detail.overTime')}</figcaption>
        {overTime.length === 0 ? (
          <p className="muted">{t('detail.noCalls')}</p>
        ) : (
          <ResponsiveContainer width="100%" height={220}>
            <BarChart data={overTime} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#d8dde6" />
              <XAxis dataKey="time" fontSize={12} />
              <YAxis allowDecimals={false} fontSize={12} width={40} />
              <Tooltip />
              <Legend />
              <Bar dataKey="started" name={t('detail.started')} fill="#2357c6" isAnimationActive={false} />
              <Bar dataKey="ended" name={t('detail.ended_')} fill="#1c7c4a" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        )}
      </figure>
      <figure className="card chart">
        <figcaption>{t('detail.byOutcome')}</figcaption>
        {outcomes.length === 0 ? (
          <p className="muted">{t('detail.noCalls')}</p>
        ) : (
          <ResponsiveContainer width="100%" height={220}>
            <BarChart data={outcomes} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#d8dde6" />
              <XAxis type="number" allowDecimals={false} fontSize={12} />
              <YAxis type="category" dataKey="outcome" width={130} fontSize={12} />
              <Tooltip />
              <Bar dataKey="count" fill="#2357c6" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        )}
      </figure>
    </div>
  );
}
